// Text from test authors, builds and collectors as it may reach a terminal.

/** Every control character (C0, DEL, C1) and the Unicode line/paragraph separators become "�": no name
 * can move the cursor, change colours or start a line of its own. */
export const plain = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "�");
