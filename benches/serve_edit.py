"""Times a practice manager's edit in the web app: open the form, save a
new phone number, open the practice's page (which rebuilds what changed).

    python3 benches/serve_edit.py HOST:PORT RUNS
"""
import html
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

addr, runs = sys.argv[1], int(sys.argv[2])
base = f"http://{addr}"
slug = "ashfield-medical-centre"


def fields(page):
    form = page[page.index('<form method="post"'):]
    form = form[: form.index("</form>")]
    found = []
    for m in re.finditer(r"<(input|textarea|select)([^>]*)>", form):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(2)))
        if "name" not in attrs:
            continue
        if m.group(1) == "textarea":
            value = form[m.end(): form.index("</textarea>", m.end())]
        elif m.group(1) == "select":
            chosen = re.search(r'<option value="([^"]*)" selected', form[m.end(): form.index("</select>", m.end())])
            value = chosen.group(1) if chosen else ""
        else:
            value = attrs.get("value", "")
        found.append((html.unescape(attrs["name"]), html.unescape(value)))
    return found


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)
saves, previews = [], []
# The first preview builds every file of the practice; the measured ones
# rebuild only what the new phone number changes.
urllib.request.urlopen(f"{base}/practices/{slug}").read()
for run in range(runs):
    form = urllib.request.urlopen(f"{base}/practices/{slug}/edit").read().decode()
    values = [(k, f"0114 496 {run % 10}{run % 10}{run % 10}0" if k == "practice.phone" else v) for k, v in fields(form)]
    values.append(("step", "save"))
    started = time.perf_counter()
    try:
        opener.open(f"{base}/practices/{slug}", urllib.parse.urlencode(values).encode())
        raise SystemExit("the save was not redirected")
    except urllib.error.HTTPError as answer:
        if answer.code != 303:
            raise SystemExit(f"the save answered {answer.code}")
    saved = time.perf_counter()
    urllib.request.urlopen(f"{base}/practices/{slug}").read()
    done = time.perf_counter()
    saves.append(saved - started)
    previews.append(done - saved)
both = [s + p for s, p in zip(saves, previews)]
ms = lambda xs: f"{statistics.median(xs) * 1000:.0f} ms"
print(f"2. save and preview, median of {runs}: save {ms(saves)}, preview (rebuild) {ms(previews)}, together {ms(both)} (max {max(both) * 1000:.0f} ms)")
