/* The resource page. While a version loads: asks for its status every two seconds and shows it;
   reloads the page once the version is published or has failed. Without JavaScript, a meta
   refresh reloads the whole page instead. Before an upload: a file over the limit is refused
   here, before the browser sends any of it (the server refuses it too). */
(function () {
    'use strict';

    var POLL_MS = 2000;

    function watch(section) {
        var bar = section.querySelector('[data-opendata-bar]');
        var message = section.querySelector('[data-opendata-message]');

        function poll() {
            fetch(section.dataset.opendataStatus, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
                .then(function (response) {
                    if (!response.ok) throw new Error(response.status);
                    return response.json();
                })
                .then(function (status) {
                    if (status.done) {
                        window.location.reload();
                        return;
                    }
                    message.textContent = status.message;
                    if (status.percent === null) {
                        bar.removeAttribute('value'); // an indeterminate bar: the format does not tell
                    } else {
                        bar.value = status.percent;
                    }
                    window.setTimeout(poll, POLL_MS);
                })
                .catch(function () {
                    window.setTimeout(poll, POLL_MS * 3); // the server is busy or gone: try again later
                });
        }

        window.setTimeout(poll, POLL_MS);
    }

    function guardSize(form) {
        var limit = Number(form.dataset.opendataMaxBytes);
        var input = form.querySelector('input[type=file]');
        var alert = form.querySelector('[data-opendata-too-large]');

        function tooLarge() {
            var file = input.files && input.files[0];
            var refused = Boolean(file && file.size > limit);
            alert.hidden = !refused;
            input.setAttribute('aria-invalid', refused ? 'true' : 'false');
            return refused;
        }

        input.addEventListener('change', tooLarge);
        form.addEventListener('submit', function (event) {
            if (tooLarge()) {
                event.preventDefault();
                input.focus();
            }
        });
    }

    document.querySelectorAll('[data-opendata-status]').forEach(watch);
    document.querySelectorAll('[data-opendata-max-bytes]').forEach(guardSize);
})();
