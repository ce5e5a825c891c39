/**
 * A form disables its fields and its Save button while it saves, and a focused element that becomes disabled drops
 * the keyboard focus to the page (WCAG 2.4.3): a keyboard or screen-reader user is sent back to the top. This puts
 * the focus back where it was when the form is enabled again — only if nothing else has taken it meanwhile (the
 * focus is still on the page itself) and the element is still there. Started once by each app's entry.
 */
export function keepFocusAcrossDisabling(doc: Document = document): void {
  let lastFocused: HTMLElement | null = null;
  doc.addEventListener('focusin', (event) => {
    if (event.target instanceof HTMLElement) lastFocused = event.target;
  });
  new MutationObserver((mutations) => {
    const element = lastFocused;
    if (!element?.isConnected || (doc.activeElement && doc.activeElement !== doc.body)) return;
    const enabled = mutations.some(
      (mutation) =>
        mutation.target instanceof Element &&
        !mutation.target.hasAttribute('disabled') &&
        (mutation.target === element || mutation.target.contains(element)),
    );
    if (enabled && !element.matches(':disabled')) element.focus({ preventScroll: true });
  }).observe(doc.body, { subtree: true, attributes: true, attributeFilter: ['disabled'] });
}
