// The console's stylesheet, served as /console/assets/console.css (no inline styles: the CSP forbids them).
export const CONSOLE_CSS = `
:root{--fg:#1d232b;--muted:#5b6572;--line:#d8dde3;--bg:#f6f7f9;--card:#fff;--accent:#1f5fbf;--warn:#a15c00;--bad:#b3261e;--ok:#1e7a3a;--chip:#eef1f5}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;align-items:center;gap:1.2rem;padding:.6rem 1.2rem;background:#14202e;color:#fff}
header .brand{font-weight:700;letter-spacing:.02em}
header nav{display:flex;gap:1rem;flex:1}
header a{color:#cfe0ff;text-decoration:none}
header a[aria-current=page]{color:#fff;font-weight:600;border-bottom:2px solid #fff}
header form{margin:0}
header button{background:none;border:1px solid #6c7c90;color:#cfe0ff;padding:.2rem .6rem;border-radius:4px;cursor:pointer}
main{max-width:1200px;margin:1.2rem auto;padding:0 1.2rem}
h1{font-size:1.35rem;margin:.2rem 0 1rem}
h2{font-size:1.05rem;margin:1.4rem 0 .6rem}
a{color:var(--accent)}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1rem;margin-bottom:1rem}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line)}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.85rem;background:#fafbfc}
td.id{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem;word-break:break-all}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
pre{background:#f1f3f6;padding:.7rem;border-radius:4px;overflow:auto}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:10px;font-size:.8rem;font-weight:600;background:var(--chip);white-space:nowrap}
.badge.needs-attention,.badge.waiting-for-ovh-task,.badge.waiting-for-dns{background:#fff1d6;color:var(--warn)}
.badge.failed,.badge.aborted,.badge.cancelled{background:#fde3e1;color:var(--bad)}
.badge.completed,.badge.done,.badge.adopted{background:#e0f3e6;color:var(--ok)}
.badge.running{background:#e2ecfb;color:var(--accent)}
.muted{color:var(--muted)}
.filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:flex-end;margin-bottom:1rem}
.filters label,.form label{display:flex;flex-direction:column;gap:.2rem;font-size:.85rem;color:var(--muted)}
input,select,textarea{font:inherit;padding:.35rem .45rem;border:1px solid #b9c1cb;border-radius:4px;background:#fff;color:var(--fg)}
textarea{min-height:6rem;font-family:ui-monospace,monospace;font-size:.8rem}
button,.button{font:inherit;padding:.4rem .9rem;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger,.button.danger{background:var(--bad);border-color:var(--bad)}
.form{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.8rem 1rem;margin:.6rem 0 1rem}
.form .wide{grid-column:1/-1}
.field-error{color:var(--bad);font-size:.8rem}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--bad);background:#fff7f6}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center}
.notice{padding:.6rem .8rem;border-radius:4px;margin-bottom:1rem;border:1px solid}
.notice.ok{background:#e9f6ee;border-color:#b7dfc4}
.notice.error{background:#fdecea;border-color:#f3bbb5}
.notice.warn{background:#fff6e5;border-color:#f0d49a}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline li{display:grid;grid-template-columns:1.6rem 14rem 9rem 1fr;gap:.6rem;padding:.55rem 0;border-bottom:1px solid var(--line)}
ol.timeline li:last-child{border-bottom:none}
.dot{width:.9rem;height:.9rem;border-radius:50%;margin-top:.2rem;background:#c6ccd4}
.dot.done,.dot.adopted{background:var(--ok)}.dot.running,.dot.waiting-for-ovh-task,.dot.waiting-for-dns{background:var(--accent)}
.dot.needs-attention{background:var(--warn)}.dot.failed{background:var(--bad)}.dot.skipped{background:#8b95a1}
dl.facts{display:grid;grid-template-columns:11rem 1fr;gap:.3rem .8rem;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
#live-status{font-size:.8rem;color:#9fb3c8}
#live-status[data-state=lost],#live-status[data-state=ended]{color:#ffd38a}
.login{max-width:26rem;margin:4rem auto}
.login input{width:100%}
`;
