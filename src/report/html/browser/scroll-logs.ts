// A failure's log box is capped in height and the error is at its end, so each box shows its end: on
// load for the open ones, on opening for the others (a closed box has no layout to scroll). The box
// is a whole number of lines high (styles.css), so the first line in view is never cut.

for (const box of document.querySelectorAll<HTMLDetailsElement>("details.failure")) {
  const log = box.querySelector("pre.log");
  if (!log) continue;
  const toEnd = () => {
    if (box.open) log.scrollTop = log.scrollHeight;
  };
  toEnd();
  box.addEventListener("toggle", toEnd);
}
