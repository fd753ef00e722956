// Leaving the app for another site (a payment provider's checkout page).
export function leaveTo(url: string): void {
  window.location.assign(url);
}
