// The chat assistant on every page. Without this script the launcher is a link to the report form.
// The browser talks only to the portal's websocket (/ws/chat/), which stores the conversation and
// relays it to the bot; the signed conversation id kept here brings it back after a page load.
(function () {
  "use strict";

  const CONVERSATION_KEY = "portal-chat-conversation";
  const DRAFT_KEY = "portal-chat-draft";
  const OPEN_KEY = "portal-chat-open";
  // The resident hears within 3 s that the assistant cannot be reached, and is offered the form.
  const CONNECT_WAIT_MS = 3000;
  // The server gives up on the bot after 30 s; this only covers a connection that silently died.
  const REPLY_WAIT_MS = 40000;
  const REPORT_LINK_MAX_CHARACTERS = 800;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The bot's replies are plain text; web addresses in them (the tracking link) become links. Built
  // from text nodes and anchors, never HTML, and only for http(s) addresses.
  const WEB_ADDRESS = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

  function textWithLinks(className, text) {
    const node = element("span", className);
    let last = 0;
    for (const match of text.matchAll(WEB_ADDRESS)) {
      node.append(document.createTextNode(text.slice(last, match.index)));
      const link = element("a", "chat-message__link", match[0]);
      link.href = match[0];
      node.append(link);
      last = match.index + match[0].length;
    }
    node.append(document.createTextNode(text.slice(last)));
    return node;
  }

  // Storage can be switched off (private modes, strict settings): the chat then works for one page.
  function store(kind) {
    try {
      const storage = window[kind];
      storage.getItem(OPEN_KEY);
      return storage;
    } catch (error) {
      return null;
    }
  }
  const local = store("localStorage");
  const session = store("sessionStorage");
  function read(storage, key) { return storage ? storage.getItem(key) : null; }
  function write(storage, key, value) {
    if (!storage) return;
    if (value) storage.setItem(key, value); else storage.removeItem(key);
  }

  function setUpChat(root) {
    const texts = root.dataset;
    const link = root.querySelector("[data-chat-link]");
    const opener = root.querySelector("[data-chat-open]");
    const panel = root.querySelector("#chat-panel");
    const closer = root.querySelector("[data-chat-close]");
    const log = root.querySelector("[data-chat-log]");
    const status = root.querySelector("[data-chat-status]");
    const form = root.querySelector("[data-chat-form]");
    const input = form.elements.text;
    const photoInput = root.querySelector("[data-chat-photo]");
    const locateButton = root.querySelector("[data-chat-locate]");
    const maxPhotos = Number(texts.maxPhotos);
    const maxLength = Number(texts.maxLength);

    let conversation = read(local, CONVERSATION_KEY); // signed by the server; null before the first visit
    let socket = null;
    let ready = false; // the server welcomed us: messages can go
    let pending = null; // the message sent last, until the server stored it and the bot answered
    let retryDelay = 1000;
    let connectTimer = null;
    let replyTimer = null;
    let retryTimer = null;
    let connectionNotice = null;

    link.hidden = true;
    opener.hidden = false;
    input.value = read(local, DRAFT_KEY) || "";

    // --- Opening and closing: a non-modal dialog; Esc closes it and focus goes back to the launcher.
    function open(moveFocus) {
      panel.hidden = false;
      opener.setAttribute("aria-expanded", "true");
      write(session, OPEN_KEY, "1");
      connect();
      scrollToEnd();
      if (moveFocus) input.focus();
    }

    function close() {
      panel.hidden = true;
      opener.setAttribute("aria-expanded", "false");
      write(session, OPEN_KEY, "");
      opener.focus();
    }

    opener.addEventListener("click", function () {
      if (panel.hidden) open(true); else close();
    });
    closer.addEventListener("click", close);
    // Links elsewhere on the page (a section's "ask the assistant") open the panel, with their
    // question typed in when the resident has not started one; they lead to the form without this script.
    document.addEventListener("click", function (event) {
      const starter = event.target.closest("[data-chat-start]");
      if (!starter || root.contains(starter)) return;
      event.preventDefault();
      if (starter.dataset.chatStart && !input.value.trim()) input.value = starter.dataset.chatStart;
      open(true);
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    // --- The conversation as it is drawn.
    function scrollToEnd() {
      log.scrollTop = log.scrollHeight;
    }

    function setStatus(text) {
      status.textContent = text || "";
    }

    function reportUrl(text) {
      const description = (text || "").trim().slice(0, REPORT_LINK_MAX_CHARACTERS);
      return texts.reportUrl + (description ? "?description=" + encodeURIComponent(description) : "");
    }

    function notice(message, url) {
      const node = element("p", "chat-notice", message + " ");
      const anchor = element("a", "", texts.textReport);
      anchor.href = url;
      node.append(anchor);
      log.append(node);
      scrollToEnd();
      return node;
    }

    function removeButtons() {
      log.querySelectorAll(".chat-buttons").forEach(function (group) { group.remove(); });
    }

    function drawMessage(sender, message, withButtons) {
      const bubble = element("div", "chat-message chat-message--" + sender);
      bubble.append(element("span", "visually-hidden", (sender === "bot" ? texts.textBot : texts.textYou) + " "));
      if (message.text) bubble.append(textWithLinks("chat-message__text", message.text));
      if (message.image) {
        const image = element("img", "chat-message__image");
        image.src = message.image;
        image.alt = texts.textImage;
        bubble.append(image);
      }
      log.append(bubble);
      if (withButtons && message.buttons && message.buttons.length) {
        const group = element("div", "chat-buttons");
        message.buttons.forEach(function (button) {
          const choice = element("button", "chat-buttons__choice", button.title);
          choice.type = "button";
          choice.addEventListener("click", function () { send(button.title, button.payload); });
          group.append(choice);
        });
        log.append(group);
      }
      scrollToEnd();
      return bubble;
    }

    function drawHistory(history) {
      // Busy while the earlier messages are drawn, so a screen reader does not read them all out.
      log.setAttribute("aria-busy", "true");
      log.replaceChildren();
      // Only the bot's latest answer keeps its buttons: older choices were already made.
      let lastResident = -1;
      history.forEach(function (message, index) {
        if (message.sender === "resident") lastResident = index;
      });
      history.forEach(function (message, index) {
        drawMessage(message.sender, message, index > lastResident);
      });
      log.setAttribute("aria-busy", "false");
    }

    // --- The connection: hello on open, welcome back with the conversation and its history.
    function socketUrl() {
      return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + texts.socket;
    }

    function unreachable() {
      if (connectionNotice) return;
      setStatus("");
      connectionNotice = notice(texts.textUnreachable, reportUrl(input.value));
    }

    function connect() {
      if (socket || !("WebSocket" in window)) {
        if (!socket) unreachable();
        return;
      }
      clearTimeout(retryTimer);
      setStatus(texts.textConnecting);
      connectTimer = setTimeout(unreachable, CONNECT_WAIT_MS);
      socket = new WebSocket(socketUrl());
      socket.addEventListener("open", function () {
        socket.send(JSON.stringify({
          type: "hello",
          conversation: conversation,
          language: texts.language,
        }));
      });
      socket.addEventListener("message", function (event) {
        let data;
        try {
          data = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        receive(data);
      });
      socket.addEventListener("close", function () {
        socket = null;
        ready = false;
        clearTimeout(connectTimer);
        clearTimeout(replyTimer);
        if (pending) {
          giveBack(pending);
          pending = null;
        }
        unreachable();
        // Try again while the panel is open; a closed panel connects when it is opened.
        if (!panel.hidden) {
          retryTimer = setTimeout(connect, retryDelay);
          retryDelay = Math.min(retryDelay * 2, 30000);
        }
      });
    }

    function receive(data) {
      switch (data.type) {
        case "welcome":
          clearTimeout(connectTimer);
          ready = true;
          retryDelay = 1000;
          conversation = data.conversation;
          write(local, CONVERSATION_KEY, conversation);
          drawHistory(data.history || []);
          connectionNotice = null;
          setStatus("");
          break;
        case "typing":
          // Stored on the server: the draft is no longer needed here.
          if (pending) {
            pending.stored = true;
            pending.bubble.classList.remove("is-pending");
            if (pending.fromInput) write(local, DRAFT_KEY, "");
          }
          setStatus(texts.textTyping);
          clearTimeout(replyTimer);
          replyTimer = setTimeout(function () {
            if (socket) socket.close();
          }, REPLY_WAIT_MS);
          break;
        case "bot":
          clearTimeout(replyTimer);
          pending = null;
          setStatus("");
          (data.messages || []).forEach(function (message) {
            drawMessage("bot", message, true);
          });
          break;
        case "error":
          clearTimeout(replyTimer);
          setStatus("");
          if (pending) giveBack(pending);
          pending = null;
          notice(data.message, data.report_url || reportUrl(""));
          break;
      }
    }

    // A message the server did not store goes back into the text box: nothing typed is lost.
    function giveBack(message) {
      if (message.stored) return;
      message.bubble.remove();
      if (message.fromInput && !input.value.trim()) {
        input.value = message.text;
        write(local, DRAFT_KEY, message.text);
      }
    }

    function send(text, payload, metadata, fromInput) {
      if (!ready) {
        setStatus(texts.textConnecting);
        connect();
        return false;
      }
      if (pending) {
        setStatus(texts.textWait);
        return false;
      }
      removeButtons();
      const bubble = drawMessage("resident", { text: text });
      bubble.classList.add("is-pending");
      pending = { text: text, bubble: bubble, stored: false, fromInput: Boolean(fromInput) };
      const message = { type: "message", text: text };
      if (payload) message.payload = payload;
      if (metadata) message.metadata = metadata;
      socket.send(JSON.stringify(message));
      return true;
    }

    // --- Typing: Enter sends (not while a Korean syllable is being composed), Shift+Enter breaks the line.
    input.addEventListener("input", function () {
      write(local, DRAFT_KEY, input.value);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      if (text.length > maxLength) {
        notice(texts.textTooLong, reportUrl(text));
        return;
      }
      if (send(text, "", null, true)) input.value = "";
    });

    // --- Photos: uploaded one by one over HTTP, then named in a message the bot can attach.
    function uploadPhoto(file) {
      const body = new FormData();
      body.append("file", file);
      body.append("conversation", conversation || "");
      body.append("language", texts.language);
      return fetch(texts.photoUrl, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (!response.ok || !answer.id) throw new Error(answer.message || texts.textPhotoFailed);
          return answer.id;
        });
      });
    }

    // Photos and the location wait for a connection and for the last message's answer, like text.
    function busy() {
      if (ready && !pending) return false;
      setStatus(ready ? texts.textWait : texts.textConnecting);
      return true;
    }

    photoInput.addEventListener("change", function () {
      const files = Array.from(photoInput.files || []);
      photoInput.value = "";
      if (!files.length) return;
      if (files.length > maxPhotos) {
        setStatus(texts.textPhotoTooMany);
        return;
      }
      if (busy()) return;
      setStatus(texts.textPhotoSending);
      files.reduce(function (chain, file) {
        return chain.then(function (ids) {
          return uploadPhoto(file).then(function (id) { return ids.concat([id]); });
        });
      }, Promise.resolve([])).then(function (ids) {
        setStatus("");
        const label = ids.length === 1 ? texts.textPhotoOne : texts.textPhotoMany.replace("{count}", ids.length);
        send(label, "/send_photos", { photos: ids });
      }).catch(function (error) {
        setStatus("");
        notice(error.message || texts.textPhotoFailed, reportUrl(""));
      });
    });

    // --- Location: the phone's position, sent as a message the bot can use for the case.
    locateButton.addEventListener("click", function () {
      if (!("geolocation" in navigator)) {
        setStatus(texts.textLocationUnavailable);
        return;
      }
      if (busy()) return;
      setStatus(texts.textLocating);
      navigator.geolocation.getCurrentPosition(function (position) {
        setStatus("");
        send(texts.textLocation, "/share_location", {
          location: { latitude: position.coords.latitude, longitude: position.coords.longitude },
        });
      }, function (error) {
        setStatus(error.code === error.PERMISSION_DENIED ? texts.textLocationDenied : texts.textLocationUnavailable);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });

    // The panel was open on the page before: open it again, without taking the focus.
    if (read(session, OPEN_KEY)) open(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const root = document.querySelector("[data-chat]");
    if (root) setUpChat(root);
  });
})();
