/** The few DOM lookups the client makes. */

/** The element every view is drawn into. */
export function appRoot(): HTMLElement {
  const app = document.getElementById('app')
  if (!app) throw new Error('parity: the page has no #app element')
  return app
}

/** The nearest element from an event's target up that matches, if any. */
export function closestTo(target: EventTarget | null, selector: string): Element | null {
  return target instanceof Element ? target.closest(selector) : null
}
