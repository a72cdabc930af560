"""An officer takes attendance on a phone in a real browser (issue 12, item 5).

Signs in on a 360-pixel-wide window, takes one class's attendance online (one student absent,
one late), loads a second class's page, loses the network, takes that class's attendance (it
waits on the phone), gets the network back and sees it sent. Prints the two session ids as
`SESSIONS A B` for the caller to look up with `bridges session show`; keeps screenshots of the
attendance page and of the queue in ARTIFACTS. Any step that does not happen is an error.

Usage: attendance.py BASE_URL USER PASSWORD ARTIFACTS [CHROMIUM]
"""
import re
import sys

from playwright.sync_api import sync_playwright

base, user, password, artifacts = sys.argv[1:5]
chromium = sys.argv[5] if len(sys.argv) > 5 else "/usr/bin/chromium"


def queue_item(page, class_id, state):
    """The queue's line for a class once it reads `state`; its session id when sent."""
    wanted = re.compile(r"sent \(session \d+\)") if state == "sent" else state
    item = page.locator("#queue li", has_text=f"class {class_id},").filter(has_text=wanted)
    item.wait_for(timeout=20000)
    text = item.inner_text()
    found = re.search(r"sent \(session (\d+)\)", text)
    return found.group(1) if found else text


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: problems.append(f"{response.status} for {response.url}") if response.status >= 400 else None)

    page.goto(base + "/sign-in")
    # By their labels, as a screen reader finds them.
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/classes")

    # Online: the first class, one student absent and one late.
    page.goto(base + "/classes/0101-3A/attendance")
    # The page names the class as the officer knows it (its name), not only by its id.
    heading = page.locator("h1").inner_text()
    if "0101-3A" in heading or not heading.startswith("Attendance: "):
        sys.exit(f"the attendance page's heading should name the class: {heading!r}")
    page.click("label[for=s1-absent]")
    page.click("label[for=s2-late]")
    page.screenshot(path=f"{artifacts}/attendance.png")
    page.click("button[type=submit]:has-text('Save')")
    first = queue_item(page, "0101-3A", "sent")
    # What became of it is on screen without scrolling through the roll.
    shown = page.evaluate("() => { const r = document.getElementById('queue-title').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; }")
    if not shown:
        sys.exit("after Save the list of sessions on this phone is not on screen")
    page.screenshot(path=f"{artifacts}/saved.png")
    # The roll is ready for another session: every student back to present, the lesson moved on.
    if not page.is_checked("#s1-present") or not page.is_checked("#s2-present"):
        sys.exit("after Save the marks just sent are still on the form")

    # Offline: the second class's page is open when the network goes.
    page.goto(base + "/classes/0101-4B/attendance")
    context.set_offline(True)
    page.click("label[for=s0-excused]")
    page.click("button[type=submit]:has-text('Save')")
    waiting = queue_item(page, "0101-4B", "waiting to be sent")
    page.screenshot(path=f"{artifacts}/offline-queue.png", full_page=True)

    # Back online: the waiting session is sent with the key it was saved with.
    context.set_offline(False)
    second = queue_item(page, "0101-4B", "sent")
    page.screenshot(path=f"{artifacts}/after-reconnect.png", full_page=True)
    browser.close()

    # The browser's own errors (a script refused by the Content-Security-Policy, say) fail the
    # test, except the failed requests while the network was off.
    problems = [p for p in problems if "ERR_INTERNET_DISCONNECTED" not in p and "Failed to fetch" not in p]
    if problems:
        sys.exit("browser console errors: " + "; ".join(problems))
    print("waiting while offline:", waiting)
    print(f"SESSIONS {first} {second}")
