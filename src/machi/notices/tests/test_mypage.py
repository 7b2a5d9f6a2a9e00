"""マイページ's お知らせの受け取り: a signed-in resident sees and manages every subscription
of theirs in this city (e-mail, LINE, Web Push), and nobody else's."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from machi.core.models import AuditEntry, Municipality, User
from machi.notices import selectors
from machi.notices.models import Channel, Message, Subscription
from machi.notices.services.subscriptions import (
    email_subscription_request,
    email_subscription_start,
    subscription_resume,
    subscription_stop,
    subscription_topics_update,
)
from machi.notices.tests.conftest import Town
from machi.testing.applications import error_summary, make_resident, signed_in
from machi.testing.factories import verify_email

PORTAL = "http://testserver/"


def _row(town: Town, channel: str, address: str, **fields: object) -> Subscription:
    values: dict[str, object] = {"portal_url": PORTAL, "confirmed_at": timezone.now()}
    values.update(fields)
    return Subscription.objects.create(
        municipality=town.city, channel=channel, address=address, **values
    )


@pytest.fixture
def hanako(town: Town) -> User:
    user = make_resident(town.city, email="hanako@example.jp")
    verify_email(user)
    return user


def _confirmations(subscription: Subscription) -> int:
    return Message.objects.filter(subscription=subscription, kind="subscription.confirm").count()


# --- services ----------------------------------------------------------------------------


def test_the_list_has_linked_rows_and_verified_addresses_but_nobody_elses(
    town: Town, hanako: User, other_city: Municipality
) -> None:
    mine_by_mail = _row(town, Channel.EMAIL, "hanako@example.jp")  # subscribed before sign-up
    line = _row(town, Channel.LINE, "U" + "a" * 32, user=hanako)
    push = _row(town, Channel.WEB_PUSH, "https://push.example/1", user=hanako, label="iPhone")
    _row(town, Channel.EMAIL, "someone@example.jp")  # another resident's
    _row(town, Channel.LINE, "U" + "b" * 32)
    Subscription.objects.create(  # the same address in another city
        municipality=other_city, channel=Channel.EMAIL, address="hanako@example.jp", user=hanako
    )
    rows = selectors.resident_subscriptions(user=hanako, municipality=town.city)
    assert {r.subscription.pk for r in rows} == {mine_by_mail.pk, line.pk, push.pk}
    shown = {r.subscription.channel: r.address for r in rows}
    assert shown == {
        "email": "h***@example.jp",
        "line": "LINE (友だち追加済み)",
        "webpush": "iPhone",
    }


def test_an_unverified_address_is_not_the_residents_by_its_name_alone(town: Town) -> None:
    taro = make_resident(town.city, email="taro@example.jp")  # never confirmed the address
    _row(town, Channel.EMAIL, "taro@example.jp")
    assert selectors.resident_subscriptions(user=taro, municipality=town.city) == []


def test_a_resident_touches_only_their_own_subscriptions(
    town: Town, hanako: User, other_city: Municipality
) -> None:
    someone_elses = _row(town, Channel.EMAIL, "someone@example.jp")
    elsewhere = Subscription.objects.create(
        municipality=other_city,
        channel=Channel.EMAIL,
        address="hanako@example.jp",
        user=hanako,
        confirmed_at=timezone.now(),
    )
    for target in (someone_elses, elsewhere):
        for change in (subscription_stop, subscription_topics_update):
            with pytest.raises(Subscription.DoesNotExist):
                change(actor=hanako, municipality=town.city, subscription_id=target.pk)
        with pytest.raises(Subscription.DoesNotExist):
            subscription_resume(
                actor=hanako, municipality=town.city, subscription_id=target.pk, portal_url=PORTAL
            )
    with pytest.raises(Subscription.DoesNotExist):
        subscription_stop(actor=hanako, municipality=town.city, subscription_id=uuid.uuid4())
    someone_elses.refresh_from_db()
    elsewhere.refresh_from_db()
    assert someone_elses.active and elsewhere.active


def test_stop_change_topics_and_resume_are_audited(town: Town, hanako: User) -> None:
    row = _row(town, Channel.LINE, "U" + "a" * 32, user=hanako)
    subscription_topics_update(
        actor=hanako,
        municipality=town.city,
        subscription_id=row.pk,
        categories=[town.categories["bosai"]],
        districts=[town.seki],
    )
    assert [c.code for c in row.categories.all()] == ["bosai"]
    subscription_stop(actor=hanako, municipality=town.city, subscription_id=row.pk)
    row.refresh_from_db()
    assert selectors.subscription_state(row) == "stopped" and not row.active
    subscription_resume(
        actor=hanako, municipality=town.city, subscription_id=row.pk, portal_url=PORTAL
    )
    row.refresh_from_db()
    assert row.active
    actions = list(
        AuditEntry.objects.filter(target_id=str(row.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "notice.subscription_changed",
        "notice.subscription_cancelled",
        "notice.subscription_confirmed",
    ]


def test_topics_of_another_city_are_refused(
    town: Town, hanako: User, other_city: Municipality
) -> None:
    from machi.notices.services.setup import categories_ensure

    row = _row(town, Channel.EMAIL, "hanako@example.jp")
    foreign = categories_ensure(municipality=other_city)[0]
    with pytest.raises(ValidationError):
        subscription_topics_update(
            actor=hanako, municipality=town.city, subscription_id=row.pk, categories=[foreign]
        )


def test_a_verified_address_starts_at_once_and_another_is_confirmed_by_mail(
    town: Town, hanako: User
) -> None:
    verified = email_subscription_start(
        actor=hanako,
        municipality=town.city,
        email="Hanako@Example.jp",
        categories=[town.categories["event"]],
        portal_url=PORTAL,
    )
    assert verified.active and verified.user == hanako and _confirmations(verified) == 0
    entry = AuditEntry.objects.filter(target_id=str(verified.pk)).get()
    assert entry.action == "notice.subscription_confirmed"
    assert entry.data["via"] == "verified account address"

    other = email_subscription_start(
        actor=hanako, municipality=town.city, email="work@example.jp", portal_url=PORTAL
    )
    assert not other.active and other.user == hanako and _confirmations(other) == 1


def test_an_unverified_address_starts_again_only_through_its_confirmation(
    town: Town, hanako: User
) -> None:
    work = _row(town, Channel.EMAIL, "work@example.jp", user=hanako)
    subscription_stop(actor=hanako, municipality=town.city, subscription_id=work.pk)
    work = subscription_resume(
        actor=hanako, municipality=town.city, subscription_id=work.pk, portal_url=PORTAL
    )
    assert not work.active and _confirmations(work) == 1
    mine = _row(town, Channel.EMAIL, "hanako@example.jp", unsubscribed_at=timezone.now())
    mine = subscription_resume(
        actor=hanako, municipality=town.city, subscription_id=mine.pk, portal_url=PORTAL
    )
    assert mine.active and _confirmations(mine) == 0


def test_a_request_while_signed_in_is_linked_to_the_account(town: Town, hanako: User) -> None:
    row = email_subscription_request(
        municipality=town.city, email="family@example.jp", portal_url=PORTAL, user=hanako
    )
    assert row.user == hanako
    # Someone else's later request does not take over a confirmed subscription.
    row.confirmed_at = timezone.now()
    row.save()
    other = make_resident(town.city, email="other@example.jp")
    again = email_subscription_request(
        municipality=town.city, email="family@example.jp", portal_url=PORTAL, user=other
    )
    assert again.user == hanako


# --- views -------------------------------------------------------------------------------


def _section(client: Client) -> str:
    page = client.get("/mypage/").content.decode()
    start = page.index('id="notice-subscriptions"')
    return page[start : page.index("</section>", start)]


def test_mypage_lists_every_channel_with_its_state(town: Town, hanako: User) -> None:
    _row(town, Channel.EMAIL, "hanako@example.jp").categories.set([town.categories["bosai"]])
    _row(town, Channel.EMAIL, "work@example.jp", user=hanako, confirmed_at=None)
    _row(town, Channel.LINE, "U" + "a" * 32, user=hanako, unsubscribed_at=timezone.now())
    _row(town, Channel.WEB_PUSH, "https://push.example/1", user=hanako)
    _row(town, Channel.EMAIL, "someone@example.jp")
    section = _section(signed_in(hanako))
    assert "お知らせの受け取り" in section
    assert "h***@example.jp" in section and "w***@example.jp" in section
    assert "LINE (友だち追加済み)" in section and "この端末" in section
    assert "someone" not in section and "hanako@example.jp" not in section
    for state in ("受信中", "確認待ち", "停止中"):
        assert state in section
    assert "防災" in section and "すべての分類" in section


def test_mypage_without_subscriptions_offers_to_start(town: Town, hanako: User) -> None:
    section = _section(signed_in(hanako))
    assert "まだお知らせを受け取っていません" in section
    assert "/mypage/notices/email/" in section


def test_change_topics_stop_and_resume_from_mypage(town: Town, hanako: User) -> None:
    row = _row(town, Channel.WEB_PUSH, "https://push.example/1", user=hanako, label="")
    client = signed_in(hanako)
    page = client.get(f"/mypage/notices/{row.pk}/topics/")
    assert page.status_code == 200 and 'name="categories"' in page.content.decode()
    done = client.post(
        f"/mypage/notices/{row.pk}/topics/", {"categories": ["kosodate"], "districts": ["seki"]}
    )
    assert done.status_code == 302 and done["Location"] == "/mypage/#notice-subscriptions"
    assert [c.code for c in row.categories.all()] == ["kosodate"]
    assert [d.code for d in row.districts.all()] == ["seki"]
    assert "子育て" in _section(client)

    assert client.get(f"/mypage/notices/{row.pk}/stop/").status_code == 405
    assert client.post(f"/mypage/notices/{row.pk}/stop/").status_code == 302
    row.refresh_from_db()
    assert not row.active and "停止中" in _section(client)
    assert client.post(f"/mypage/notices/{row.pk}/resume/").status_code == 302
    row.refresh_from_db()
    assert row.active


def test_bad_topics_get_a_message_and_400(town: Town, hanako: User) -> None:
    row = _row(town, Channel.EMAIL, "hanako@example.jp")
    row.categories.set([town.categories["bosai"]])
    client = signed_in(hanako)
    response = client.post(f"/mypage/notices/{row.pk}/topics/", {"categories": ["nope"]})
    assert response.status_code == 400
    assert error_summary(response) == ["分類と地区は一覧から選んでください。"]
    assert [c.code for c in row.categories.all()] == ["bosai"]  # nothing changed
    english = Client(headers={"accept-language": "en"})
    english.force_login(hanako)
    response = english.post(f"/mypage/notices/{row.pk}/topics/", {"districts": ["nowhere"]})
    assert "Choose categories and districts from the list." in response.content.decode()


def test_someone_elses_subscription_is_404_and_signed_out_goes_to_login(
    town: Town, hanako: User
) -> None:
    theirs = _row(town, Channel.EMAIL, "someone@example.jp")
    client = signed_in(hanako)
    for action in ("topics", "stop", "resume"):
        assert client.post(f"/mypage/notices/{theirs.pk}/{action}/").status_code == 404
    assert client.get(f"/mypage/notices/{theirs.pk}/topics/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.active
    response = Client().post(f"/mypage/notices/{theirs.pk}/stop/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_cannot_use_the_residents_pages(town: Town) -> None:
    assert signed_in(town.writer).get("/mypage/notices/email/").status_code == 403


def test_start_by_e_mail_at_the_verified_address_in_one_step(town: Town, hanako: User) -> None:
    client = signed_in(hanako)
    page = client.get("/mypage/notices/email/").content.decode()
    assert 'value="hanako@example.jp"' in page
    response = client.post(
        "/mypage/notices/email/", {"address": "hanako@example.jp", "categories": ["event"]}
    )
    assert response.status_code == 302
    row = Subscription.objects.get(address="hanako@example.jp")
    assert row.active and row.user == hanako and _confirmations(row) == 0
    followed = client.get("/mypage/")
    assert "hanako@example.jp にお知らせが届くようになりました" in followed.content.decode()


def test_start_by_e_mail_at_another_address_sends_a_confirmation(town: Town, hanako: User) -> None:
    client = signed_in(hanako)
    response = client.post(
        "/mypage/notices/email/", {"address": "other", "email": "family@example.jp"}
    )
    assert response.status_code == 302
    row = Subscription.objects.get(address="family@example.jp")
    assert not row.active and row.user == hanako and _confirmations(row) == 1
    assert "確認待ち" in _section(client)
    bad = client.post("/mypage/notices/email/", {"address": "other", "email": "nope"})
    assert bad.status_code == 400 and "name@example.jp" in error_summary(bad)[0]
    forged = client.post("/mypage/notices/email/", {"address": "someone@example.jp"})
    assert forged.status_code == 400
    assert not Subscription.objects.filter(address="someone@example.jp").exists()


def test_the_public_subscribe_page_links_a_signed_in_resident(town: Town, hanako: User) -> None:
    client = signed_in(hanako)
    response = client.post("/notices/subscribe/", {"email": "family@example.jp"})
    assert response.status_code == 200
    assert Subscription.objects.get(address="family@example.jp").user == hanako
    assert "f***@example.jp" in _section(client)
