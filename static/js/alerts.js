// Follow forms: send the browser's time zone, so digests come at the reader's hour from the
// start (the manage page changes it; without JavaScript it is UTC until then).
for (const input of document.querySelectorAll("[data-browser-timezone]")) {
  if (!input.value) {
    try {
      input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      // An old browser: UTC it is.
    }
  }
}
