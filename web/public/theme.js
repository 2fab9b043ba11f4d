/* global window, document */
// Applies the saved theme before the first paint so dark mode never flashes white. A file, not an
// inline script, so the page's Content-Security-Policy can stay `script-src 'self'`.
(function () {
  var saved = null;
  try {
    saved = window.localStorage.getItem("askdb.theme");
  } catch {
    // Storage is blocked (e.g. the page is framed by another site): follow the system's theme.
  }
  var dark = saved ? saved === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  if (dark) document.documentElement.classList.add("dark");
})();
