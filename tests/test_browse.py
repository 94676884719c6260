"""Walking the service catalogue: every screen replaces the previous one in place."""

from __future__ import annotations

from bot.texts import t
from tests.harness import BotUnderTest, matches


async def test_categories_services_and_back_edit_one_message(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    listing = await bot.say(alice, "/services")
    labels = [b.text for b in listing.buttons]
    assert labels[:4] == ["知识产权保护及利用", "质量提升", "标准化提升", "产品质量认证"]
    category = await bot.press(alice, listing, "知识产权保护及利用")
    assert category.message_id == listing.message_id  # edited in place
    assert "知识产权质押融资" in [b.text for b in category.buttons]
    card = await bot.press(alice, category, "知识产权质押融资")
    assert card.message_id == listing.message_id
    assert matches("service_card", card.text)
    assert matches("service_card", card.text)
    assert matches("service_card", card.text)
    back = await bot.press(alice, card, t("zh", "btn_back"))
    assert "知识产权质押融资" in [b.text for b in back.buttons]
    top = await bot.press(alice, back, t("zh", "btn_back"))
    assert matches("categories_title", top.text)
    assert len(bot.emu.messages(alice)) == 1  # nothing flooded the chat


async def test_service_card_offers_what_its_delivery_mode_allows(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    for service in bot.runtime.cat.services[:6]:
        card = await bot.say(alice, f"/start svc-{service.id}")
        data = {b.callback_data for b in card.buttons}
        assert (f"rq:new:{service.id}" in data) == (service.delivery in ("request", "both"))
        assert (f"bk:svc:{service.id}" in data) == (service.delivery in ("visit", "both"))


async def test_browsing_in_english(bot: BotUnderTest) -> None:
    bob = bot.user("Bob", language_code="en")
    listing = await bot.say(bob, "/services")
    assert "Choose an area" in listing.text
    category = await bot.press(bob, listing, bot.runtime.cat.categories[0].name.get("en"))
    assert "Choose a service" in category.text


async def test_menu_button_opens_the_catalogue(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    bot.emu.tap(alice, t("zh", "btn_services"))
    listing = await bot.emu.next_message(alice)
    assert matches("categories_title", listing.text)


async def test_a_screen_for_a_category_that_no_longer_exists_falls_back_to_the_list(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    listing = await bot.say(alice, "/services")
    category = await bot.press(alice, listing, "质量提升")
    text = bot.catalogue_path.read_text(encoding="utf-8")
    bot.catalogue_path.write_text(text.replace("id: quality-diagnosis", "id: quality-onsite"),
                                  encoding="utf-8")
    reload_answer = await bot.say(bot.admin, "/reload")
    assert "quality-onsite" in reload_answer.text
    old_button = next(b for b in category.buttons if b.callback_data == "s:quality-diagnosis")
    bot.emu.press(alice, category, old_button.callback_data or "")
    fallback = await bot.emu.wait_for_message(alice)
    assert matches("service_gone", fallback.text)
