// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("keydown", function (event) {
  if (event.key === "?" && !/input|textarea|select/i.test(event.target.tagName)) {
    const help = document.getElementById("keyboard-help");
    if (help) { help.hidden = !help.hidden; if (!help.hidden) { help.focus(); } }
  }
});
