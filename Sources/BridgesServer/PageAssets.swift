/// The pages' one style sheet and one script, served by the server itself (no external resource,
/// nothing inline, so the Content-Security-Policy can forbid everything else).
enum PageAssets {
    /// Large targets for a thumb on a 360-pixel phone; visible focus for a keyboard.
    static let styleSheet = """
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.4 system-ui,sans-serif;color:#1a1a1a;background:#fff}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 1rem;background:#eef2f6}
        main{max-width:40rem;margin:0 auto;padding:1rem}
        h1{font-size:1.4rem}
        label{display:block;margin:.75rem 0 .25rem;font-weight:600}
        input,select,button{font:inherit;min-height:44px;max-width:100%}
        input,select{width:100%;padding:.4rem;border:1px solid #555;border-radius:4px}
        button{padding:.5rem 1.25rem;margin-top:1rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff}
        header button{margin:0;background:#555}
        :focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
        .row{display:flex;gap:1rem;flex-wrap:wrap}.row>span{flex:1 1 8rem}
        fieldset.student{border:0;border-bottom:1px solid #ddd;margin:0;padding:.5rem 0}
        fieldset.student legend{font-weight:600;padding:0}
        fieldset.student input{position:absolute;opacity:0;width:1px;height:1px}
        fieldset.student label{display:inline-block;font-weight:400;margin:.25rem .25rem 0 0;padding:.5rem .7rem;min-height:44px;border:1px solid #555;border-radius:4px}
        fieldset.student input:checked+label{background:#1d4ed8;color:#fff;border-color:#1d4ed8}
        fieldset.student input:focus-visible+label{outline:3px solid #f59e0b}
        .muted{color:#555}.refused{color:#b91c1c}.status{font-size:1.5rem;font-weight:700}.valid{color:#15803d}.invalid{color:#b91c1c}
        #queue li{margin:.25rem 0}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem;border-bottom:1px solid #ddd;vertical-align:top}
        summary{min-height:44px;padding:.6rem 0;font-weight:600;cursor:pointer}form.report{border-top:1px solid #ddd;margin-top:1rem}
        """

    /// Saves a session into a queue in localStorage first, then sends what waits (with the
    /// Idempotency-Key it was given when saved, so a retry never logs it twice) now and whenever
    /// the network comes back, and shows each one as waiting, sent or refused with the reason.
    static let script = """
        "use strict";
        (function () {
          var KEY = "bridges.queue";
          function csrf() { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }
          function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
          function store(q) { localStorage.setItem(KEY, JSON.stringify(q)); }
          function newKey() {
            var b = new Uint8Array(16); crypto.getRandomValues(b);
            return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
          }
          function render() {
            var list = document.getElementById("queue"); if (!list) return;
            list.textContent = "";
            load().slice().reverse().forEach(function (item) {
              var li = document.createElement("li");
              var what = item.body.lesson + ", class " + item.body["class"] + ", " + item.body.date + ": ";
              if (item.state === "sent") what += "sent (session " + item.id + ")";
              else if (item.state === "refused") what += "refused: " + item.reason;
              else what += "waiting to be sent" + (item.reason ? " (" + item.reason + ")" : "");
              li.textContent = what; li.className = item.state === "refused" ? "refused" : "";
              list.appendChild(li);
            });
          }
          function update(key, change) {
            var q = load(); q.forEach(function (item) { if (item.key === key) Object.assign(item, change); }); store(q); render();
          }
          var sending = false;
          function flush() {
            if (sending) return; sending = true;
            var waiting = load().filter(function (item) { return item.state === "waiting"; });
            var next = Promise.resolve();
            waiting.forEach(function (item) {
              next = next.then(function () {
                return fetch("/api/v1/sessions", {
                  method: "POST", credentials: "same-origin",
                  headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), "Idempotency-Key": item.key },
                  body: JSON.stringify(item.body)
                }).then(function (response) {
                  return response.json().catch(function () { return {}; }).then(function (answer) {
                    if (response.status === 200 || response.status === 201) update(item.key, { state: "sent", id: answer.id, reason: "" });
                    else if (response.status === 401) update(item.key, { reason: "sign in again to send it" });
                    else if (response.status >= 500 || response.status === 429 || response.status === 408) update(item.key, { reason: "the server is busy; it will be tried again" });
                    else update(item.key, { state: "refused", reason: answer.detail || ("status " + response.status) });
                  });
                }).catch(function () { update(item.key, { reason: "no network" }); });
              });
            });
            next.then(function () { sending = false; });
          }
          function save(event) {
            event.preventDefault();
            var form = event.target, marks = {};
            form.querySelectorAll("fieldset.student").forEach(function (set) {
              var checked = set.querySelector("input:checked"); marks[set.dataset.student] = checked ? checked.value : "present";
            });
            var body = { lesson: form.lesson.value, "class": form.dataset["class"], date: form.date.value, marks: marks };
            if (form.minutes.value) body.minutes = parseInt(form.minutes.value, 10);
            var q = load(); q.push({ key: newKey(), body: body, state: "waiting" }); store(q); render(); flush();
            // The roll is ready for the next class: every student back to present, and the lesson moved
            // on to the one after the lesson just saved (a second tap would log the same session twice).
            form.querySelectorAll("fieldset.student input[value=present]").forEach(function (input) { input.checked = true; });
            if (form.lesson.selectedIndex + 1 < form.lesson.options.length) form.lesson.selectedIndex += 1;
            form.minutes.value = "";
            // Show the officer at once what became of it (sent, waiting or refused), below the roll.
            var title = document.getElementById("queue-title"); if (title) title.scrollIntoView({ block: "start" });
          }
          function quiz(event) {
            event.preventDefault();
            var form = event.target, answers = {}, result = form.querySelector(".result");
            form.querySelectorAll("input[name]").forEach(function (input) { if (input.value.trim()) answers[input.name] = input.value.trim(); });
            result.textContent = "Sending…"; result.className = "result";
            fetch("/api/v1/sessions/" + form.dataset.session + "/quiz-attempts", {
              method: "POST", credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
              body: JSON.stringify({ student: form.dataset.student, answers: answers })
            }).then(function (response) {
              return response.json().catch(function () { return {}; }).then(function (answer) {
                if (response.status === 201) {
                  result.textContent = "Attempt " + answer.attempt + ": " + answer.earned + " of " + answer.possible + " (" + Math.round(answer.percent) + "%), " + (answer.passed ? "passed" : "not passed") + (answer.unanswered && answer.unanswered.length ? "; unanswered: " + answer.unanswered.join(", ") : "");
                  form.querySelectorAll("input[name]").forEach(function (input) { input.value = ""; });
                } else {
                  result.textContent = "Not recorded: " + (answer.detail || ("status " + response.status)); result.className = "result refused";
                }
              });
            }).catch(function () { result.textContent = "Not recorded: no network; try again when it is back"; result.className = "result refused"; });
          }
          function send(event) {
            event.preventDefault();
            var form = event.target, body = {}, result = form.querySelector(".result");
            form.querySelectorAll("input[name]").forEach(function (input) { if (input.value.trim()) body[input.name] = input.value.trim(); });
            result.textContent = "Sending…"; result.className = "result";
            fetch(form.dataset.api, {
              method: "POST", credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() }, body: JSON.stringify(body)
            }).then(function (response) {
              return response.json().catch(function () { return {}; }).then(function (answer) {
                if (response.ok && Array.isArray(answer)) {
                  result.textContent = answer.length ? answer.map(function (p) {
                    return p.program + ": " + p.issued + " issued, " + p.alreadyHeld + " already held, " + p.notEligible + " not yet eligible";
                  }).join("; ") : "No program is stored.";
                } else { result.textContent = "Refused: " + (answer.detail || ("status " + response.status)); result.className = "result refused"; }
              });
            }).catch(function () { result.textContent = "Not sent: no network"; result.className = "result refused"; });
          }
          function roster(event) {
            event.preventDefault();
            var form = event.currentTarget, button = event.submitter, file = form.querySelector("input[type=file]").files[0];
            var result = form.querySelector(".result"), list = form.querySelector(".diagnostics"), importButton = form.querySelector("[data-dry-run=false]");
            if (!file) return;
            var dry = !button || button.dataset.dryRun !== "false";
            result.textContent = dry ? "Checking…" : "Importing…"; result.className = "result"; list.textContent = "";
            fetch("/api/v1/rosters?dry-run=" + dry + "&filename=" + encodeURIComponent(file.name), {
              method: "POST", credentials: "same-origin",
              headers: { "Content-Type": /\\.zip$/i.test(file.name) ? "application/zip" : "text/csv", "X-CSRF-Token": csrf() }, body: file
            }).then(function (response) {
              return response.json().catch(function () { return {}; }).then(function (answer) {
                (answer.diagnostics || []).forEach(function (d) {
                  var li = document.createElement("li"); li.textContent = d.file + ":" + d.line + ": " + d.severity + ": " + d.message; list.appendChild(li);
                });
                if (response.ok) {
                  result.textContent = (dry ? "Check passed, nothing written: " : "Imported: ") + answer.summary;
                  importButton.disabled = !dry;
                } else {
                  result.textContent = "Refused: " + (answer.detail || ("status " + response.status)); result.className = "result refused"; importButton.disabled = true;
                }
              });
            }).catch(function () { result.textContent = "Not sent: no network"; result.className = "result refused"; });
          }
          function signOut() {
            fetch("/api/v1/sign-out", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf() } })
              .finally(function () { location.href = "/sign-in"; });
          }
          document.addEventListener("DOMContentLoaded", function () {
            var form = document.getElementById("attendance"); if (form) form.addEventListener("submit", save);
            var rosterForm = document.getElementById("roster"); if (rosterForm) {
              rosterForm.addEventListener("submit", roster);
              rosterForm.querySelector("input[type=file]").addEventListener("change", function () { rosterForm.querySelector("[data-dry-run=false]").disabled = true; });
            }
            document.querySelectorAll("form[data-api]").forEach(function (f) { f.addEventListener("submit", send); });
            document.querySelectorAll("form.quiz").forEach(function (f) { f.addEventListener("submit", quiz); });
            var out = document.querySelector("[data-sign-out]"); if (out) out.addEventListener("click", signOut);
            render(); flush();
          });
          window.addEventListener("online", flush);
          setInterval(flush, 30000);
        })();
        """

    /// The tab's icon: a bridge's arch over a line, in the pages' blue.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4ed8"/>\
        <path d="M4 22h24M7 22v-4a9 7 0 0 1 18 0v4" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>
        """
}
