// The /s/{id}/delete page: the delete secret travels in the URL fragment (#secret), which browsers never
// send to the server or in a Referer, so it appears in no log. This script reads it and sends it once, in
// the X-Delete-Secret header, when the author presses Delete.
(function () {
  'use strict';
  var button = document.getElementById('share-delete');
  var status = document.getElementById('share-delete-status');
  var meta = document.querySelector('meta[name="clickseg-share"]');
  var shareId = meta ? meta.getAttribute('content') : '';
  var secret = decodeURIComponent(location.hash.replace(/^#/, ''));

  function say(text, state) {
    status.textContent = text;
    status.setAttribute('data-state', state);
  }

  if (!secret) {
    say('This link has no delete secret after its “#”. Use the whole delete link you were given.', 'no-secret');
    return;
  }
  button.disabled = false;
  button.addEventListener('click', function () {
    button.disabled = true;
    say('Deleting…', 'busy');
    fetch('/api/shares/' + encodeURIComponent(shareId), {method: 'DELETE', headers: {'X-Delete-Secret': secret}})
      .then(function (response) {
        if (response.status === 204) {
          say('Deleted. This share is gone: its link no longer opens.', 'deleted');
          history.replaceState(null, '', location.pathname); // the secret is of no further use
        } else if (response.status === 403) {
          say('The delete secret in this link is wrong; nothing was deleted.', 'forbidden');
          button.disabled = false;
        } else if (response.status === 404) {
          say('This share is gone already.', 'deleted');
        } else {
          say('The server could not delete the share (HTTP ' + response.status + '). Try again later.', 'failed');
          button.disabled = false;
        }
      })
      .catch(function () {
        say('The server cannot be reached. Try again later.', 'failed');
        button.disabled = false;
      });
  });
})();
