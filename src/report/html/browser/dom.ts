// The few DOM helpers the waterfall and the log viewer need. Text only ever goes in through textContent.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The page's element with this id, of this type; the page template and the script must agree. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`Expected an element #${id} of type ${type.name} on the page, got ${String(element)}`);
  return element;
}

/** Calls `render` once a frame while `box` scrolls, and whenever the window is resized. */
export function redrawOnScroll(box: HTMLElement, render: () => void): void {
  let framePending = false;
  box.addEventListener("scroll", () => {
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(() => {
      framePending = false;
      render();
    });
  });
  window.addEventListener("resize", render);
}
