// The Bootstrap Italia components varco's pages use, and nothing else: bundled by
// scripts/build-ui (esbuild) into gateway/portal/static/varco-ui.js. Bootstrap Italia's full
// bundle also carries video.js and a dozen other libraries (about 1 MB) that inject inline
// <style> elements, which varco's Content-Security-Policy forbids. Each plugin registers its
// data-bs-* handlers when it is loaded; naming them here keeps the bundler from dropping them.
import Dropdown from 'bootstrap-italia/dist/plugins/dropdown.js';
import NavBarCollapsible from 'bootstrap-italia/dist/plugins/navbar-collapsible.js';
import Modal from 'bootstrap-italia/dist/plugins/modal.js';
import Notification from 'bootstrap-italia/dist/plugins/notification.js';

window.varcoUi = { Dropdown, NavBarCollapsible, Modal, Notification };

// Confirmation dialogs (Sospendi, Riattiva, Rimuovi, Aderisci): one dialog per action on the page,
// filled when it opens from the data-varco-* attributes of the link that opened it (the link
// itself leads to the confirmation page when scripts do not run). Text goes in as text, never as
// HTML.
const datasetKey = (slot) => `varco-${slot}`.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
document.addEventListener('show.bs.modal', (event) => {
  const dialog = event.target;
  if (!(dialog instanceof HTMLElement) || !dialog.hasAttribute('data-varco-confirm')) return;
  const source = event.relatedTarget instanceof HTMLElement ? event.relatedTarget.dataset : {};
  for (const slot of dialog.querySelectorAll('[data-varco-slot]')) {
    const value = source[datasetKey(slot.getAttribute('data-varco-slot'))] ?? '';
    if (slot instanceof HTMLInputElement) slot.value = value;
    else slot.textContent = value;
  }
});

// The notice after an action (#notice, shown by the server): its close link hides it here and
// takes ?done= out of the address, so a reload does not show it again. Without scripts the link
// itself loads the page without the notice.
document.addEventListener('click', (event) => {
  const close = event.target instanceof Element
    ? event.target.closest('.varco-notice .notification-close') : null;
  if (!close) return;
  event.preventDefault();
  close.closest('.varco-notice').hidden = true;
  window.history.replaceState(window.history.state, '', close.getAttribute('href'));
});
