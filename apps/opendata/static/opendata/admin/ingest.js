/* The resource page before an upload: a file over the limit is refused here, before the browser
   sends any of it (the server refuses it too). While a version loads, static/js/admin-progress.js
   shows its progress. */
(function () {
    'use strict';

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

    document.querySelectorAll('[data-opendata-max-bytes]').forEach(guardSize);
})();
