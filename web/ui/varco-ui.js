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
