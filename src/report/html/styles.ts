// The page's stylesheet: inline, system fonts only (the report must open with no network).
export const STYLES = `
:root { --fg: #1f2430; --muted: #6b7280; --line: #e5e7eb; --bg: #f7f8fa; --card: #fff;
  --pass: #15803d; --pass-bg: #dcfce7; --fail: #b91c1c; --fail-bg: #fee2e2; --cached: #6d28d9; --cached-bg: #ede9fe;
  --run: #64748b; --check: #2563eb; --build: #d97706; --subtest: #0d9488; --test: #7c3aed; --name-w: 36%; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1500px; margin: 0 auto; padding: 20px 28px 60px; }
h1 { font-size: 20px; margin: 0; } h2 { font-size: 16px; margin: 28px 0 10px; } h3 { font-size: 14px; margin: 0 0 6px; }
code, .mono, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); } .small { font-size: 12px; } .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.title-row { display: flex; align-items: center; gap: 12px; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); margin: 8px 0 14px; }
.badge { padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; background: var(--line); }
.result-success { background: var(--pass-bg); color: var(--pass); }
.result-failure, .result-error, .result-timeout, .result-cancellation { background: var(--fail-bg); color: var(--fail); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; min-width: 104px; }
.card-value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; } .card-label { color: var(--muted); font-size: 12px; }
.tone-pass .card-value { color: var(--pass); } .tone-fail .card-value { color: var(--fail); } .tone-cached .card-value { color: var(--cached); }
table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; background: #f1f3f6; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr.subtest td { padding-top: 2px; padding-bottom: 2px; border-bottom-color: #f3f4f6; font-size: 13px; }
tr.subtest.status-fail { color: var(--fail); } tr.subtest .mark { display: inline-block; width: 1.1em; }
tr.check.status-fail { background: #fff7f7; }
details.subtests { margin-top: 4px; } details.subtests summary { cursor: pointer; color: var(--muted); font-size: 12px; }
table.subtests { border: 0; background: none; margin-top: 2px; } table.subtests td { border: 0; }
.pill { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 11.5px; font-weight: 650; text-transform: uppercase; }
.pill-pass { background: var(--pass-bg); color: var(--pass); } .pill-fail, .pill-cancelled { background: var(--fail-bg); color: var(--fail); }
.pill-cached { background: var(--cached-bg); color: var(--cached); }
.failure { background: var(--card); border: 1px solid #fecaca; border-left: 4px solid var(--fail); border-radius: 8px; padding: 8px 14px; margin-bottom: 8px; }
.failure summary { cursor: pointer; font-weight: 500; } .failure p { margin: 6px 0 0; }
pre.log { margin: 6px 0 0; background: #111827; color: #e5e7eb; padding: 10px 12px; border-radius: 6px; max-height: 22em; overflow: auto; white-space: pre-wrap; word-break: break-all; }
.role { display: inline-block; min-width: 56px; font-size: 11.5px; font-weight: 600; }
.role.role-run { color: var(--run); } .role.role-check { color: var(--check); } .role.role-build { color: var(--build); } .role.role-subtest { color: var(--subtest); } .role.role-test { color: var(--test); }
table.slowest td.share { width: 30%; } table.slowest td.share span { display: block; height: 8px; border-radius: 4px; background: #94a3b8; margin-top: 6px; }
.wf { background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.wf-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; padding: 8px 10px; border-bottom: 1px solid var(--line); }
.wf-tools input[type=search] { padding: 4px 8px; border: 1px solid #d1d5db; border-radius: 6px; min-width: 240px; }
.wf-tools button { padding: 3px 10px; border: 1px solid #d1d5db; border-radius: 6px; background: #fff; cursor: pointer; }
.legend { display: flex; gap: 12px; margin-left: auto; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.wf-head { position: relative; height: 26px; border-bottom: 1px solid var(--line); background: #f9fafb; }
.wf-head .wf-head-name { position: absolute; left: 10px; top: 4px; font-size: 12px; color: var(--muted); }
#wf-axis { position: absolute; left: var(--name-w); right: 70px; top: 0; bottom: 0; }
.wf-axis-mark { position: absolute; top: 5px; transform: translateX(-50%); font-size: 11px; color: var(--muted); white-space: nowrap; }
#wf-body { position: relative; max-height: min(70vh, 760px); overflow: auto; }
#wf-grid { position: absolute; left: var(--name-w); right: 70px; top: 0; pointer-events: none; }
.wf-grid-line { position: absolute; top: 0; bottom: 0; border-left: 1px dashed #eef0f3; }
#wf-rows { position: relative; }
.wf-row { position: absolute; left: 0; right: 0; height: 24px; display: grid; grid-template-columns: var(--name-w) 1fr; cursor: default; }
.wf-row:hover { background: #f5f7fb; } .wf-row.selected { background: #e8f0fe; }
.wf-name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding-right: 8px; line-height: 24px; border-right: 1px solid var(--line); font-size: 13px; }
.wf-toggle { display: inline-block; width: 14px; color: var(--muted); cursor: pointer; user-select: none; }
.wf-dot { display: inline-block; width: 8px; height: 8px; border-radius: 2px; margin-right: 6px; background: var(--test); }
.wf-track { position: relative; margin-right: 70px; }
.wf-bar { position: absolute; top: 6px; height: 12px; min-width: 2px; border-radius: 3px; background: var(--test); opacity: .9; }
.wf-tick { position: absolute; top: 4px; height: 16px; width: 1px; background: rgba(0,0,0,.35); z-index: 1; }
.wf-dur { position: absolute; top: 0; line-height: 24px; font-size: 11px; color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; z-index: 2; }
.wf-dur.inside { color: #fff; font-weight: 600; }
.role-run .wf-bar, .role-run .wf-dot { background: var(--run); } .role-check .wf-bar, .role-check .wf-dot { background: var(--check); }
.role-build .wf-bar, .role-build .wf-dot { background: var(--build); } .role-subtest .wf-bar, .role-subtest .wf-dot { background: var(--subtest); }
.role-run .wf-name { font-weight: 650; } .role-check .wf-name { font-weight: 600; }
.wf-row.failed .wf-bar, .wf-row.failed .wf-dot { background: var(--fail); } .wf-row.failed .wf-label { color: var(--fail); }
.wf-row.cached .wf-bar { background: repeating-linear-gradient(135deg, var(--cached) 0 4px, #a78bfa 4px 8px); }
.wf-row.shifted .wf-bar { opacity: .45; }
#wf-details { border-top: 1px solid var(--line); padding: 10px 14px; max-height: 320px; overflow: auto; }
table.kv { border: 0; } table.kv th { width: 220px; background: none; font-family: ui-monospace, monospace; font-weight: 500; } table.kv td { word-break: break-all; }
ul.events { margin: 8px 0 0; padding-left: 18px; color: var(--muted); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
`;
