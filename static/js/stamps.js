// The stamp tour on the phone (apps/stamps, decision 0028). The phone keeps its passport and the
// stamps the server signed in localStorage; the pages stay the same for every visitor and are
// filled in here. A scan opens the marker's page with a proof in the fragment (#scan=...), which is
// turned into a stamp; a scan made offline (#stamp-offline, from the service worker) is kept as
// pending and confirmed with a fresh proof for its code once the phone is online again.
(function () {
  "use strict";

  const KEY = "portal-stamp-passport";

  function load() {
    let data = null;
    try {
      data = JSON.parse(localStorage.getItem(KEY));
    } catch (error) {
      data = null; // unreadable: start an empty passport
    }
    if (!data || typeof data !== "object") data = {};
    return {
      passport: typeof data.passport === "string" ? data.passport : null,
      stamps: data.stamps && typeof data.stamps === "object" ? data.stamps : {},
      pending: Array.isArray(data.pending) ? data.pending : [],
      certificates: data.certificates && typeof data.certificates === "object" ? data.certificates : {},
    };
  }

  function save(store) {
    try {
      localStorage.setItem(KEY, JSON.stringify(store));
    } catch (error) {
      // storage switched off: the stamp lasts for this page only
    }
  }

  function post(url, body) {
    // No cookie gives these calls any right: the passport travels in the body.
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function when(iso) {
    return new Date(iso).toLocaleString(document.documentElement.lang, { dateStyle: "medium", timeStyle: "short" });
  }

  function fill(text, values) {
    return Object.keys(values).reduce(function (result, name) {
      return result.replace("{" + name + "}", values[name]);
    }, text);
  }

  function keepPending(code, at) {
    const store = load();
    if (store.stamps[code] || store.pending.some(function (scan) { return scan.code === code; })) return;
    store.pending.push({ code: code, at: at });
    save(store);
  }

  // Resolves to the stamp (or null when the server refused it: the message is passed to onRefused);
  // rejects when the server could not be reached.
  function collect(settings, proof, scannedAt, onRefused) {
    const body = { proof: proof, passport: load().passport, language: settings.language };
    if (scannedAt) body.scanned_at = Math.floor(scannedAt / 1000);
    return post(settings.stampUrl, body).then(function (result) {
      const store = load();
      if (!result.ok) {
        if (result.status !== 429) {
          store.pending = store.pending.filter(function (scan) { return scan.code !== settings.code; });
          save(store);
        }
        if (onRefused) onRefused(result.data.message || "");
        return null;
      }
      const stamp = result.data.stamp;
      store.passport = result.data.passport;
      store.stamps[stamp.code] = stamp;
      store.pending = store.pending.filter(function (scan) { return scan.code !== stamp.code; });
      save(store);
      stamp.coursePoints = result.data.course_points;
      return stamp;
    });
  }

  // Scans made offline: a fresh proof for each code (what its QR address gives), then the stamp,
  // dated when the scan was made.
  function confirmPending(settings) {
    const pending = load().pending;
    return pending.reduce(function (previous, scan) {
      return previous.then(function () {
        return fetch(settings.proofUrl.replace("CODE", encodeURIComponent(scan.code)), { credentials: "omit" })
          .then(function (response) {
            if (!response.ok) {
              const store = load();
              store.pending = store.pending.filter(function (kept) { return kept.code !== scan.code; });
              save(store);
              return null;
            }
            return response.json().then(function (data) {
              return collect(Object.assign({}, settings, { code: scan.code }), data.proof, scan.at, null);
            });
          })
          .catch(function () { return null; }); // still offline: kept for the next try
      });
    }, Promise.resolve());
  }

  function countOnCourse(store, trail) {
    return Object.keys(store.stamps).filter(function (code) { return store.stamps[code].trail === trail; }).length;
  }

  function setUpMarker(box) {
    const status = box.querySelector("[data-stamp-status]");
    const text = box.dataset;
    const settings = {
      code: text.stampPoint,
      stampUrl: text.stampUrl,
      proofUrl: text.proofUrl,
      language: text.language,
    };
    function showCurrent() {
      const store = load();
      const stamp = store.stamps[settings.code];
      if (stamp) {
        status.textContent = fill(text.textHave, { date: when(stamp.at) });
      } else if (store.pending.some(function (scan) { return scan.code === settings.code; })) {
        status.textContent = text.textKept;
      }
    }
    function collected(stamp) {
      if (!stamp) return;
      status.textContent = fill(text.textCollected, { count: countOnCourse(load(), stamp.trail), total: stamp.coursePoints });
    }
    const hash = location.hash;
    if (hash.indexOf("#scan=") === 0 || hash === "#stamp-offline") {
      // The proof is used once; a shared or bookmarked address must not carry it.
      history.replaceState(null, "", location.pathname + location.search);
    }
    if (hash.indexOf("#scan=") === 0) {
      status.textContent = text.textCollecting;
      const scannedAt = Date.now();
      collect(settings, decodeURIComponent(hash.slice(6)), null, function (message) { status.textContent = message; })
        .then(collected)
        .catch(function () {
          keepPending(settings.code, scannedAt);
          status.textContent = text.textKept;
        });
      return;
    }
    if (hash === "#stamp-offline") keepPending(settings.code, Date.now());
    showCurrent();
    function confirm() {
      confirmPending(settings).then(showCurrent);
    }
    if (navigator.onLine) confirm();
    window.addEventListener("online", confirm);
  }

  function setUpPassport(root) {
    const courses = JSON.parse(document.getElementById("passport-courses").textContent);
    const text = root.dataset;
    const settings = { stampUrl: text.stampUrl, proofUrl: text.proofUrl, language: text.language };

    function render() {
      const store = load();
      const pending = store.pending.map(function (scan) { return scan.code; });
      courses.forEach(function (course) {
        const section = root.querySelector('[data-course="' + course.trail + '"]');
        let count = 0;
        course.codes.forEach(function (code) {
          const state = section.querySelector('[data-code="' + code + '"] [data-state]');
          const stamp = store.stamps[code];
          if (stamp && stamp.trail === course.trail) {
            count += 1;
            state.textContent = text.textCollected + " · " + when(stamp.at);
            state.className = "badge badge--quality";
          } else if (pending.indexOf(code) !== -1) {
            state.textContent = text.textPending;
            state.className = "badge badge--warning";
          } else {
            state.textContent = text.textMissing;
            state.className = "badge";
          }
        });
        section.querySelector("[data-progress]").textContent = fill(text.textProgress, { count: count, total: course.codes.length });
        const certificate = store.certificates[course.trail];
        section.querySelector("[data-certificate]").hidden = !(certificate || count === course.codes.length);
        section.querySelector("[data-certificate-request]").hidden = Boolean(certificate);
        const link = section.querySelector("[data-certificate-link]");
        link.hidden = !certificate;
        if (certificate) link.href = certificate.url;
      });
    }

    function requestCertificate(course, button) {
      const section = button.closest("[data-course]");
      const status = section.querySelector("[data-certificate-status]");
      const store = load();
      const tokens = course.codes
        .filter(function (code) { return store.stamps[code] && store.stamps[code].trail === course.trail; })
        .map(function (code) { return store.stamps[code].token; });
      button.disabled = true;
      post(text.certificateUrl, { passport: store.passport, trail: course.trail, stamps: tokens, language: text.language })
        .then(function (result) {
          if (!result.ok) {
            status.textContent = result.data.message || text.textFailed;
            return;
          }
          const fresh = load();
          fresh.certificates[course.trail] = { code: result.data.code, url: result.data.url };
          save(fresh);
          location.assign(result.data.url);
        })
        .catch(function () { status.textContent = text.textFailed; })
        .then(function () { button.disabled = false; });
    }

    courses.forEach(function (course) {
      const button = root.querySelector('[data-course="' + course.trail + '"] [data-certificate-request]');
      button.addEventListener("click", function () { requestCertificate(course, button); });
    });
    render();
    function confirm() {
      confirmPending(settings).then(render);
    }
    if (navigator.onLine) confirm();
    window.addEventListener("online", confirm);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.querySelector("[data-stamp-point]");
    if (box) setUpMarker(box);
    const passport = document.querySelector("[data-passport]");
    if (passport) setUpPassport(passport);
  });
})();
