// builder_flow.mjs - issue 14's "done means" for the survey builder, in
// Chromium: a commissioner starts a survey from nothing in the staff pages,
// writes it as two pages with a condition and an Urdu translation (in the
// JSON editor), previews it, publishes it; a young person answers it on a
// phone; the commissioner hides a choice and adds one after answers
// (version 2), and another young person answers that.  The caller
// (test_builder.sh) then checks the export's counts across both versions.
// Usage: node builder_flow.mjs BASE NAME PASSWORD V1.json
import { readFile } from 'node:fs/promises';
import { launchChromium } from './chromium.mjs';
import { check, done } from './harness.mjs';

const [base, name, password, v1File] = process.argv.slice(2);
const v1 = JSON.parse(await readFile(v1File, 'utf8'));
const browser = await launchChromium();

// The commissioner, on a laptop.
const staff = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
await staff.goto(`${base}/staff/login`);
await staff.fill('#name', name);
await staff.fill('#password', password);
await staff.click('button:has-text("Sign in")');
await staff.goto(`${base}/staff/surveys`);
await staff.fill('#s-title', v1.title);
await staff.fill('#s-id', v1.id);
await staff.selectOption('#s-consultation', v1.consultation);
await staff.click('button:has-text("Start it")');
check('a survey started from nothing opens in the editor', staff.url().startsWith(`${base}/staff/surveys/${v1.id}?saved=draft`), staff.url());
const first = JSON.parse(await staff.inputValue('#e-definition'));
check('  ... as a draft with one question', first.id === v1.id && first.questions.length === 1);
await staff.fill('#e-definition', JSON.stringify(v1, null, 2));
await staff.click('button:has-text("Save as a draft")');
check('two pages, a condition and Urdu: saved as a draft',
      await staff.locator('.notice').innerText().then((t) => t.includes('Saved as a draft')).catch(() => false));
check('  ... not yet at /s/', (await staff.request.get(`${base}/s/${v1.id}`)).status() === 404);
await staff.click('a:has-text("Preview the draft")');
check('the preview shows its banner', await staff.getByText('Preview — answers are not saved').isVisible());
await staff.check('#club-yes');
check('  ... the condition\'s question, opening in place on "Yes"',
      await staff.getByText('Which club?').isVisible());
check('  ... and no token', (await staff.locator('input[name="_token"]').count()) === 0);
await staff.goto(`${base}/staff/surveys/${v1.id}/preview?lang=ur`);
check('  ... in Urdu, right to left', (await staff.locator('html').getAttribute('dir')) === 'rtl');
await staff.goto(`${base}/staff/surveys/${v1.id}`);
await staff.click('button:has-text("Publish version 1")');
check('published', (await staff.locator('.notice').innerText()).includes('Published'));

// A young person, on a phone.
async function answer(club, which, wish) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const phone = await ctx.newPage();
  await phone.goto(`${base}/s/${v1.id}`);
  const wide = await phone.evaluate(() => document.scrollingElement.scrollWidth);
  await phone.check(`#club-${club}`);
  if (which)
    await phone.check(`#which-club-${which}`);
  await phone.click('button:has-text("Continue")');
  await phone.fill('#wish', wish);
  await phone.click('button:has-text("Continue")');
  await phone.click('button:has-text("Send my answers")');
  const thanked = await phone.locator('h1').innerText();
  await ctx.close();
  return { wide, thanked };
}
let r = await answer('yes', 'sport', 'A later bus home');
check('a young person answers version 1 on a phone', r.thanked === 'Thank you', r.thanked);
check('  ... with no sideways scrolling at 360 px', r.wide <= 360, `${r.wide}`);
r = await answer('no', null, '');
check('  ... and another, skipping the condition', r.thanked === 'Thank you', r.thanked);

// After answers: version 2 hides the sports club and adds a music club.
const v2 = structuredClone(v1);
const clubs = v2.pages[0].questions[1].options;
clubs[0].hidden = true;
clubs.push({ id: 'music', label: 'A music club', themes: ['someone-to-talk-to'] });
const removed = structuredClone(v1);
removed.pages[0].questions[1].options.shift();
await staff.fill('#e-definition', JSON.stringify(removed, null, 2));
await staff.click('button:has-text("Save as a draft")');
check('after answers, removing a choice is refused',
      (await staff.locator('.error-summary').innerText()).includes('option "sport" of question "which-club" was removed'));
await staff.fill('#e-definition', JSON.stringify(v2, null, 2));
await staff.click('button:has-text("Save as a draft")');
await staff.click('button:has-text("Publish version 2")');
check('hiding it instead: version 2 published', (await staff.locator('.notice').innerText()).includes('Published'));
r = await answer('yes', 'music', 'Drums');
check('a young person answers version 2 on a phone', r.thanked === 'Thank you', r.thanked);
const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
const phone = await ctx.newPage();
await phone.goto(`${base}/s/${v1.id}`);
check('  ... where the sports club is no longer offered', (await phone.locator('#which-club-sport').count()) === 0);
await ctx.close();

// Changed by forms, no JSON, on a phone at 360 px then 320 px: land back on
// what changed, and the keyboard goes on from there.
const shots = process.env.SHOTS;
const wide = () => staff.evaluate(() => document.scrollingElement.scrollWidth);
const tabTo = async () => {
  await staff.keyboard.press('Tab');
  return staff.evaluate(() => ({ text: document.activeElement.textContent, href: document.activeElement.getAttribute('href') || '' }));
};
await staff.setViewportSize({ width: 360, height: 740 });
await staff.goto(`${base}/staff/surveys/${v1.id}`);
await staff.click('a:has-text("Edit: What do you wish there was?")');
check('a question\'s edit form opens from the editor', staff.url().endsWith(`/staff/surveys/${v1.id}/questions/wish`), staff.url());
check('  ... no sideways scrolling at 360 px', await wide() <= 360, `${await wide()}`);
if (shots) await staff.screenshot({ path: `${shots}/flow-question-edit-360.png`, fullPage: true });
await staff.fill('#e-title', 'What would you like after school?');
await staff.click('button:has-text("Save as a draft")');
check('  ... saved: back in the editor at the question', staff.url().endsWith('?saved=draft#q-wish'), staff.url());
check('  ... its new words there', (await staff.locator('#q-wish').innerText()) === 'What would you like after school?');
let next = await tabTo();
check('  ... Tab goes on to that question\'s own Edit link', next.href.endsWith('/questions/wish') && next.text.startsWith('Edit'), JSON.stringify(next));
await staff.setViewportSize({ width: 320, height: 740 });
await staff.click('button:has-text("Move down: Which club?")');
check('Move down at 320 px: back at the moved question', staff.url().endsWith('?saved=draft#q-which-club'), staff.url());
check('  ... now first on page 2', (await staff.locator('h3:has-text("Page 2") + ol li h4').first().innerText()) === 'Which club?');
next = await tabTo();
check('  ... Tab goes on to its Edit link', next.href.endsWith('/questions/which-club'), JSON.stringify(next));
check('  ... no sideways scrolling at 320 px', await wide() <= 320, `${await wide()}`);
if (shots) await staff.screenshot({ path: `${shots}/flow-editor-320.png`, fullPage: true });
await staff.goto(`${base}/staff/surveys/${v1.id}/questions/which-club`);
await staff.click('button:has-text("Hide: A youth club")');
check('Hide an option: back at it, marked hidden', staff.url().endsWith('#o-youth') &&
      (await staff.locator('#o-youth').innerText()).includes('(hidden)'), staff.url());
await staff.fill('#e-new-label', 'A drama club');
await staff.fill('#e-new-themes', 'someone-to-talk-to');
await staff.click('button:has-text("Add the option")');
check('Add an option: back at it', staff.url().endsWith('#o-a-drama-club'), staff.url());
check('  ... in the edit form with its theme', (await staff.inputValue('#e-o-3-label')) === 'A drama club' &&
      (await staff.inputValue('#e-o-3-themes')) === 'someone-to-talk-to');
if (shots) await staff.screenshot({ path: `${shots}/flow-options-320.png`, fullPage: true });
await staff.goto(`${base}/staff/surveys/${v1.id}/preview?page=2`);
check('the draft\'s preview shows the new words', await staff.getByText('What would you like after school?').count() === 1);
await browser.close();
process.exit(done());
