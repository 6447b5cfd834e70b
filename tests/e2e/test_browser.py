"""End to end in Chromium: plan a launch, work on it, reschedule, sign off, and a viewer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import LiveApp, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_pm_plans_a_launch_through_the_wizard(page: Page, live: LiveApp) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    shot(page, "01-sign-in")
    sign_in(page, "pm@demo.launchpad")
    expect(page.get_by_role("heading", name="Launches", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Apollo 2.0")).to_be_visible()
    shot(page, "02-dashboard")
    page.get_by_role("link", name="New launch").first.click()
    shot(page, "03-wizard-pick")
    page.get_by_role("link", name="Use Feature release").click()
    page.get_by_label("Launch name").fill("Beacon")
    page.get_by_label("Launch day").fill("2030-04-16")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Holiday calendar").fill("DE")
    page.get_by_label("Rollout").select_option("all_at_once")
    role = page.get_by_label(re.compile(r"^pmm"))
    role.select_option(role.locator("option", has_text="pmm@demo").get_attribute("value"))
    shot(page, "04-wizard-details")
    page.get_by_role("button", name="Preview the plan").click()
    expect(
        page.get_by_role("heading", name=re.compile("Plan for launch day Tue 16 Apr 2030"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Tasks per team")).to_be_visible()
    shot(page, "05-wizard-preview")
    page.get_by_role("button", name="← Change something").click()
    expect(page.get_by_label("Launch name")).to_have_value("Beacon")
    page.get_by_role("button", name="Preview the plan").click()
    page.get_by_role("button", name="Create launch").click()
    expect(page.get_by_role("heading", name="Beacon", exact=True)).to_be_visible()
    expect(page.get_by_text("Beacon is planned for 2030-04-16")).to_be_visible()
    shot(page, "06-launch-page")


def test_inline_status_reschedule_and_the_dashboard(page: Page, live: LiveApp) -> None:
    sign_in(page, "pm@demo.launchpad")
    page.get_by_role("link", name="Apollo 2.0").click()
    launch_url = page.url
    first = page.locator("form[data-inline-status]").first
    select = first.locator("select")
    select.select_option("done")
    expect(first.locator(".inline-result")).to_have_text(re.compile("Saved: done"))
    assert page.url == launch_url  # no reload
    page.reload()
    expect(page.locator("form[data-inline-status] select").first).to_have_value("done")
    shot(page, "07-launch-after-inline-change")
    page.get_by_role("link", name="Board", exact=True).click()
    shot(page, "08-board")
    page.get_by_role("link", name="Reschedule", exact=True).click()
    new_day = page.get_by_label("New launch day")
    current = new_day.input_value()
    new_day.fill("2031-06-03")
    page.get_by_role("button", name="Preview the moves").click()
    expect(
        page.get_by_role("heading", name=re.compile("Preview: .* → Tue 3 Jun 2031"))
    ).to_be_visible()
    expect(page.locator("table.moves tbody tr").first).to_be_visible()
    shot(page, "09-reschedule-preview")
    page.get_by_role("button", name=re.compile("Move launch day to")).click()
    expect(
        page.get_by_text(re.compile(r"Launch day moved to 2031-06-03; \d+ task\(s\) moved"))
    ).to_be_visible()
    assert current != "2031-06-03"
    page.get_by_role("link", name="Activity", exact=True).click()
    expect(page.get_by_text(re.compile("moved launch day from"))).to_be_visible()
    page.get_by_role("link", name="Launches", exact=True).first.click()
    row = page.get_by_role("row", name=re.compile("Apollo 2.0"))
    expect(row).to_contain_text("Tue 3 Jun 2031")
    expect(row.locator("meter")).not_to_have_attribute("value", "0")


def test_a_team_lead_signs_off(page: Page, live: LiveApp) -> None:
    sign_in(page, "pmm@demo.launchpad")
    page.get_by_role("link", name="Apollo 2.0").click()
    page.get_by_role("button", name="Sign off Marketing").click()
    expect(page.get_by_text("Marketing signed off.")).to_be_visible()
    expect(page.locator(".signoffs")).to_contain_text("by pmm")
    expect(page.get_by_role("button", name=re.compile("Sign off"))).to_have_count(0)
    page.get_by_role("link", name="My tasks", exact=True).click()
    expect(page.get_by_role("heading", name="My tasks")).to_be_visible()
    shot(page, "10-my-tasks")


def test_task_detail_and_library(page: Page, live: LiveApp) -> None:
    sign_in(page, "admin@demo.launchpad")
    page.get_by_role("link", name="Apollo 2.0").click()
    page.locator("table.timeline a").first.click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    page.get_by_label("Notes").fill("Agreed with legal on Friday.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text("edited the notes of")).to_be_visible()
    shot(page, "11-task-detail")
    page.get_by_role("link", name="Templates", exact=True).click()
    shot(page, "12-templates")
    page.get_by_role("link", name="Major product launch").click()
    page.locator("#preview-date").fill("2030-09-02")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="Plan for launch day Mon 2 Sep 2030")).to_be_visible()
    shot(page, "13-template-preview")
    page.get_by_role("link", name="People", exact=True).click()
    shot(page, "14-people")


def test_a_viewer_cannot_edit(page: Page, live: LiveApp) -> None:
    sign_in(page, "viewer@demo.launchpad")
    page.get_by_role("link", name="Apollo 2.0").click()
    expect(page.locator("form[data-inline-status]")).to_have_count(0)
    expect(page.get_by_role("link", name="Reschedule", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="New launch")).to_have_count(0)
    page.goto(page.url + "/reschedule")
    expect(page.get_by_role("heading", name="You may not do that")).to_be_visible()
    shot(page, "15-viewer-forbidden")


def test_keyboard_users_can_skip_to_the_content(page: Page, live: LiveApp) -> None:
    sign_in(page, "pm@demo.launchpad")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
