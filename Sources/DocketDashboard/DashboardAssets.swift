import Hummingbird

/// The stylesheet and the script every page links to, served by the dashboard itself: no build
/// step, nothing fetched from elsewhere (the pages' Content-Security-Policy allows only 'self').
enum DashboardAssets {
    static func response(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type + "; charset=utf-8", .cacheControl: "max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Live updates: every `data-refresh-ms` the page fetches its own address again and swaps in
    /// the new `main#live`, unless the person is typing in one of its fields. Without JavaScript the
    /// pages read the same and update on reload.
    static let script = """
        (function () {
          "use strict";
          var interval = parseInt(document.body.getAttribute("data-refresh-ms") || "0", 10);
          var status = document.getElementById("live-status");
          if (!interval || !window.fetch || !window.DOMParser) { return; }
          function editing() {
            var active = document.activeElement;
            var live = document.getElementById("live");
            return !!(active && live && live.contains(active) && (active.tagName === "INPUT" || active.tagName === "TEXTAREA" || active.tagName === "SELECT"));
          }
          function later() { window.setTimeout(refresh, interval); }
          function refresh() {
            if (document.visibilityState === "hidden" || editing()) { later(); return; }
            fetch(window.location.href, { headers: { "X-Docket-Live": "1" }, credentials: "same-origin", cache: "no-store" })
              .then(function (response) {
                if (!response.ok) { throw new Error("HTTP " + response.status); }
                return response.text();
              })
              .then(function (text) {
                var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("live");
                var current = document.getElementById("live");
                if (fresh && current && !editing()) { current.innerHTML = fresh.innerHTML; }
                status.textContent = "live, updated " + new Date().toLocaleTimeString();
                status.className = "up";
                document.body.setAttribute("data-refreshed", String(Date.now()));
              })
              .catch(function (error) {
                status.textContent = "not updating (" + error.message + "), retrying";
                status.className = "down";
              })
              .then(later);
          }
          status.textContent = "live";
          later();
        })();
        """

    static let stylesheet = """
        :root { --ink: #1d2330; --muted: #5d6677; --line: #d9dde5; --bg: #f6f7f9; --card: #fff; --accent: #2b59c3;
          --ok: #1f7a3a; --bad: #b42318; --wait: #8a5a00; --run: #2b59c3; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink); font-size: 15px; line-height: 1.45; }
        header { display: flex; gap: 1.2rem; align-items: center; padding: .7rem 1.5rem; background: var(--card); border-bottom: 1px solid var(--line); }
        header nav { display: flex; gap: 1rem; flex: 1; }
        header nav a { color: var(--muted); text-decoration: none; padding: .2rem 0; }
        header nav a[aria-current=page] { color: var(--ink); border-bottom: 2px solid var(--accent); }
        .brand { font-size: 1.1rem; }
        #live-status { color: var(--muted); font-size: .8rem; }
        #live-status.down { color: var(--bad); }
        main { padding: 1rem 1.5rem 3rem; max-width: 1200px; }
        h1 { font-size: 1.4rem; margin: .4rem 0 1rem; }
        h2 { font-size: 1.05rem; margin: 1.6rem 0 .6rem; }
        a { color: var(--accent); }
        .counts { display: flex; gap: .8rem; flex-wrap: wrap; }
        .count { display: flex; flex-direction: column; min-width: 8.5rem; padding: .7rem 1rem; background: var(--card);
          border: 1px solid var(--line); border-radius: 8px; text-decoration: none; color: var(--ink); }
        .count .number { font-size: 1.6rem; font-variant-numeric: tabular-nums; }
        .count .label { color: var(--muted); font-size: .85rem; }
        .state-scheduled .number, .state.state-scheduled { color: var(--wait); }
        .state-running .number, .state.state-running { color: var(--run); }
        .state-completed .number, .state.state-completed { color: var(--ok); }
        .state-discarded .number, .state.state-discarded, .error { color: var(--bad); }
        .state-cancelled .number, .state.state-cancelled { color: var(--muted); }
        table { border-collapse: collapse; background: var(--card); border: 1px solid var(--line); width: 100%; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { font-weight: 600; color: var(--muted); font-size: .85rem; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.error { max-width: 28rem; overflow-wrap: anywhere; }
        .chart { width: 100%; max-width: 600px; height: 90px; background: var(--card); border: 1px solid var(--line); }
        .bar-done { fill: var(--ok); } .bar-failed { fill: var(--bad); }
        .notice { background: #e8f3ec; border: 1px solid #b7dcc3; padding: .5rem .8rem; border-radius: 6px; }
        p.error { background: #fdecea; border: 1px solid #f5c2bd; padding: .5rem .8rem; border-radius: 6px; }
        .hint { color: var(--muted); font-size: .85rem; }
        .badge { background: #eef0f4; border: 1px solid var(--line); border-radius: 4px; padding: .1rem .4rem; font-size: .8rem; }
        dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; background: var(--card);
          border: 1px solid var(--line); padding: .8rem 1rem; border-radius: 8px; }
        dl.fields dt { color: var(--muted); } dl.fields dd { margin: 0; overflow-wrap: anywhere; }
        pre { background: var(--card); border: 1px solid var(--line); padding: .8rem; overflow: auto; }
        form.inline { display: inline-flex; gap: .4rem; align-items: center; margin: 0 .6rem .4rem 0; }
        .actions { margin: 1rem 0; }
        button, .button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 6px; padding: .35rem .8rem;
          cursor: pointer; text-decoration: none; }
        button.danger { background: var(--bad); }
        input, textarea { font: inherit; padding: .3rem .4rem; border: 1px solid var(--line); border-radius: 4px; }
        form.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin-bottom: 1rem; }
        form.filters fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .2rem .6rem; }
        form.job-form { display: grid; gap: .7rem; max-width: 36rem; }
        form.job-form label { display: grid; gap: .2rem; }
        .pager { margin: .8rem 0; display: flex; gap: 1rem; align-items: center; }
        """
}
