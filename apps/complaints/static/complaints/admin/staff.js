/* The staff side of 민원: maps of cases and the reply-template picker. No framework needed. */
(function () {
    'use strict';

    var DEADLINE_COLOURS = { overdue: '#cd4444', due_soon: '#e9b04d' };

    function readJson(id) {
        var element = document.getElementById(id);
        return element ? JSON.parse(element.textContent) : null;
    }

    function popup(marker) {
        var box = document.createElement('div');
        var number = document.createElement(marker.url ? 'a' : 'strong');
        number.textContent = marker.number;
        if (marker.url) number.href = marker.url;
        box.appendChild(number);
        box.appendChild(document.createElement('br'));
        box.appendChild(document.createTextNode(marker.status));
        return box;
    }

    function drawMap(container) {
        var markers = readJson(container.dataset.complaintsMap) || [];
        if (!window.L || !markers.length) return;
        // Canvas draws thousands of markers without one DOM node each.
        var map = L.map(container, { preferCanvas: true, scrollWheelZoom: false });
        if (container.dataset.tileUrl) {
            L.tileLayer(container.dataset.tileUrl, {
                attribution: container.dataset.tileAttribution,
                maxZoom: 19,
            }).addTo(map);
        }
        var bounds = [];
        markers.forEach(function (marker) {
            var colour = DEADLINE_COLOURS[marker.deadline] || '#007d7e';
            L.circleMarker([marker.lat, marker.lng], {
                radius: 7,
                color: '#ffffff',
                weight: 1,
                fillColor: colour,
                fillOpacity: 0.9,
            })
                .bindPopup(popup(marker))
                .bindTooltip(marker.number)
                .addTo(map);
            bounds.push([marker.lat, marker.lng]);
        });
        map.fitBounds(bounds, { maxZoom: 17, padding: [24, 24] });
    }

    function connectTemplatePicker(select) {
        var bodies = readJson(select.dataset.replyTemplates) || {};
        var target = document.getElementById(select.dataset.replyTarget);
        if (!target) return;
        select.addEventListener('change', function () {
            var body = bodies[select.value];
            if (!body) return;
            var written = target.value.trim();
            if (written && written !== body.trim() && !window.confirm(select.dataset.confirm)) {
                select.value = '';
                return;
            }
            target.value = body;
            target.focus();
        });
    }

    // On a phone the filters are folded, so the cases come first.
    if (window.matchMedia('(max-width: 50em)').matches) {
        document.querySelectorAll('[data-complaints-filters]').forEach(function (filters) {
            filters.open = false;
        });
    }
    document.querySelectorAll('[data-complaints-map]').forEach(drawMap);
    document.querySelectorAll('[data-reply-templates]').forEach(connectTemplatePicker);
})();
