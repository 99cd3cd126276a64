/* A long job's progress in the Wagtail admin (an open-data version loading, a car park import):
   asks the section's status URL every two seconds and shows its message and percentage; reloads the
   page once the job is done, so the page shows the result. Without JavaScript, the page's meta
   refresh reloads it instead (templates/includes/admin_progress.html). */
(function () {
    'use strict';

    var POLL_MS = 2000;

    function watch(section) {
        var bar = section.querySelector('[data-progress-bar]');
        var message = section.querySelector('[data-progress-message]');

        function poll() {
            fetch(section.dataset.progressStatus, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
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
                        bar.removeAttribute('value'); // an indeterminate bar: the job does not know its total yet
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

    document.querySelectorAll('[data-progress-status]').forEach(watch);
})();
