// The HTML report in a real browser (harness/check.d/html-report runs it): loads
// report.html of a run with a fail, a skip and an xfail into headless chromium through
// puppeteer-core, and checks what a reader sees: nothing fetched from outside the
// file, the filters by outcome and topic, the search box, the per-case anchors (also
// to a case the filters hide), the links to rule, man page and raw TAP, the colours.
//   node harness/html-check.js PUPPETEER_DIR CHROMIUM REPORT.html SHOT_PREFIX
// Exit 0 when all holds; otherwise 1, each problem on a line.
'use strict';
const path = require('path');
const fs = require('fs');
const [npmDir, chromium, report, shots] = process.argv.slice(2);
const puppeteer = require(path.resolve(npmDir, 'node_modules', 'puppeteer-core'));

const problems = [];
function check(ok, what) {
	console.log((ok ? 'ok    ' : 'FAIL  ') + what);
	if (!ok) problems.push(what);
}

// "rgb(244, 180, 180)" is red: red well above green and blue.
function isRed(css) {
	const m = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(css);
	if (!m || m[4] === '0') return false;
	return +m[1] - Math.max(+m[2], +m[3]) >= 40;
}

(async () => {
	const browser = await puppeteer.launch({
		executablePath: chromium, headless: true, timeout: 30000,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
	});
	try {
		const page = await browser.newPage();
		await page.setViewport({ width: 1280, height: 900 });
		const outside = [], errors = [];
		page.on('request', (r) => { if (!r.url().startsWith('file:')) outside.push(r.url()); });
		page.on('pageerror', (e) => errors.push(String(e)));
		page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
		await page.goto('file://' + path.resolve(report), { waitUntil: 'load', timeout: 20000 });
		check(outside.length === 0, 'self-contained: nothing requested outside the file ' + outside.slice(0, 3).join(' '));

		// What is visible: the case rows that have a box.
		const visible = () => page.$$eval('#case-table tr.case', (rows) => rows
			.filter((r) => r.getClientRects().length > 0)
			.map((r) => ({ id: r.id, status: r.dataset.status, topic: r.dataset.topic, text: r.textContent })));
		const all = await visible();
		const shown = () => page.$eval('#shown', (e) => e.textContent);
		check(await page.$eval('#filters', (f) => !f.hidden && f.getClientRects().length > 0), 'the filters are shown');
		check(all.length > 0 && (await shown()) === `${all.length} of ${all.length} cases`, `all ${all.length} cases shown at first`);
		const statuses = new Set(all.map((c) => c.status));
		for (const s of ['pass', 'fail', 'skip', 'xfail'])
			check(statuses.has(s), `the run has a ${s} (a report to check against)`);

		// Outcome filter: only fail, by clicking the others' boxes off.
		for (const s of statuses) if (s !== 'fail') await page.click(`#filters input[value="${s}"]`);
		let v = await visible();
		const fails = all.filter((c) => c.status === 'fail');
		check(v.length === fails.length && v.every((c) => c.status === 'fail'), `outcome filter "fail": the ${fails.length} fails, nothing else (${v.length} shown)`);
		check((await shown()) === `${fails.length} of ${all.length} cases`, 'the count says so: ' + await shown());
		const hiddenTopics = await page.$$eval('#case-table tbody', (b) => b.filter((x) => x.getClientRects().length === 0).map((x) => x.dataset.topic));
		check(hiddenTopics.length > 0, 'a topic without a fail is hidden whole: ' + hiddenTopics.join(' '));
		await page.screenshot({ path: `${shots}-fails.png` });

		// Topic filter, with the outcome filter still on.
		const topic = fails[fails.length - 1].topic;
		await page.select('#topic', topic);
		v = await visible();
		check(v.length > 0 && v.every((c) => c.status === 'fail' && c.topic === topic),
		      `topic "${topic}" and outcome "fail": ${v.length} shown, all of both`);
		await page.click('#reset');
		check((await visible()).length === all.length, '"Show all" shows every case again');

		// Search: typed, every word must be in the row (its id, rules, reason, diagnostic).
		const target = fails[0];
		const word = target.id.split(/[.:]/).pop();
		await page.type('#search', word);
		v = await visible();
		check(v.length >= 1 && v.every((c) => (c.text + ' ' + c.id).toLowerCase().includes(word.toLowerCase())) && v.some((c) => c.id === target.id),
		      `search "${word}": ${v.length} row(s), all with it, ${target.id} among them`);
		await page.$eval('#search', (e) => { e.value = ''; });
		await page.type('#search', 'no-case-has-this-text');
		check((await visible()).length === 0 && (await shown()) === `0 of ${all.length} cases`, 'a search nothing matches shows no case');

		// Anchors: a divergence's link to its case, while the search hides it.
		await page.click(`.div a[href="#${target.id}"]`);
		await page.waitForFunction((id) => decodeURIComponent(location.hash) === '#' + id, { timeout: 5000 }, target.id);
		await new Promise((r) => setTimeout(r, 300));
		const at = await page.evaluate((id) => {
			const el = document.getElementById(id), r = el.getBoundingClientRect();
			const bar = document.getElementById('filters').getBoundingClientRect();
			return { target: el.matches(':target'), shown: el.getClientRects().length > 0, top: r.top, bottom: r.bottom,
				 bar: bar.bottom, h: innerHeight, search: document.getElementById('search').value };
		}, target.id);
		check(at.target && at.shown, `the link to ${target.id} shows it (the filters let go: search now "${at.search}") and it is :target`);
		check(at.top >= at.bar - 1 && at.bottom <= at.h, `... in view, below the sticky filter bar (top ${Math.round(at.top)}, bar ends ${Math.round(at.bar)})`);
		await page.screenshot({ path: `${shots}-anchor.png` });

		// The links of a case row: rule (text in the report), man page, raw TAP.
		const links = await page.$eval('#' + CSS_escape(target.id), (row) => ({
			rule: [...row.querySelectorAll('a.rule')].map((a) => a.getAttribute('href')),
			man: [...row.querySelectorAll('a.man')].map((a) => a.getAttribute('href')),
			tap: [...row.querySelectorAll('a.tap')].map((a) => a.getAttribute('href')),
		}));
		check(links.rule.length > 0 && links.rule.every((h) => /^#rule-[A-Z]+-\d+$/.test(h)), 'rule links: ' + links.rule.join(' '));
		check(links.man.length > 0 && links.man.every((h) => /^https:\/\/man7\.org\/linux\/man-pages\/man\d\/[\w.-]+\.\d\w*\.html$/.test(h)),
		      'man page links: ' + links.man.join(' '));
		check(links.tap.length === 1 && fs.existsSync(path.join(path.dirname(report), links.tap[0])), 'the raw TAP link names a file of the run: ' + links.tap.join(' '));
		await page.click('#' + CSS_escape(target.id) + ' a.rule');
		await page.waitForFunction((h) => location.hash === h, { timeout: 5000 }, links.rule[0]);
		const rule = await page.evaluate((h) => {
			const dt = document.getElementById(h.slice(1)), r = dt.getBoundingClientRect();
			return { in_view: r.top >= 0 && r.bottom <= innerHeight, text: dt.nextElementSibling.textContent };
		}, links.rule[0]);
		check(rule.in_view && rule.text.length > 40, `the rule link goes to its text in the report: "${rule.text.slice(0, 60)}..."`);

		// Colours: a count's colour only where it is not 0, red only for the bad outcomes.
		const cells = await page.$$eval('.totals span, #case-table td:nth-child(3), table td[class]', (els) => els.map((e) => ({
			text: e.textContent.trim(), cls: e.className, bg: getComputedStyle(e).backgroundColor })));
		const zeroRed = cells.filter((c) => /^0\b/.test(c.text) && isRed(c.bg));
		check(zeroRed.length === 0, 'no zero count is red ' + zeroRed.map((c) => `${c.cls}:${c.text}:${c.bg}`).slice(0, 3).join(' '));
		const okRed = cells.filter((c) => isRed(c.bg) && !/\bfail\b/.test(c.cls));
		check(okRed.length === 0, 'nothing but fail is red ' + okRed.map((c) => `${c.cls}:${c.text}:${c.bg}`).slice(0, 3).join(' '));
		const failTotal = cells.find((c) => c.cls === 'fail' && /^\d+ fail$/.test(c.text));
		check(failTotal && isRed(failTotal.bg), `the fail count is red (${failTotal && failTotal.bg})`);
		await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
		await page.screenshot({ path: `${shots}-top.png` });
		check(errors.length === 0, 'no script error ' + errors.slice(0, 3).join(' '));
	} finally {
		await browser.close();
	}
	console.log(problems.length ? `${problems.length} problem(s)` : 'all shown as it should be');
	process.exit(problems.length ? 1 : 0);
})().catch((e) => { console.log('FAIL  ' + (e && e.stack || e)); process.exit(1); });

// CSS.escape of the page's world, for ids with "/", ":" and "." in selectors.
function CSS_escape(s) { return s.replace(/([^\w-])/g, '\\$1'); }
