"""The post × action matrix, and the separation of the three administrators (三员分立)."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory, post
from yangguang.org import services
from yangguang.org.enums import ADMIN_POSTS, PostCode
from yangguang.org.matrix import matrix_markdown
from yangguang.org.rules import ADMIN_SITE_POSTS, MATRIX, Action, allowed

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_post_has_exactly_the_actions_of_the_matrix(personas):
    """All (post, action) pairs: what the permission layer answers is the matrix."""
    mismatches = [
        (code, action)
        for code in PostCode
        for action in Action
        if allowed(personas[code], action) != (code in MATRIX[action])
    ]
    assert mismatches == []


def test_admin_site_access_follows_the_matrix(personas):
    with_access = {code for code in PostCode if personas[code].has_perm("yangguang.access_admin")}
    assert with_access == ADMIN_SITE_POSTS


def test_user_without_posts_may_do_nothing(org_tree):
    user = UserFactory(unit=org_tree.bureau)
    assert [action for action in Action if allowed(user, action)] == []


def test_inactive_user_may_do_nothing(personas):
    leader = personas[PostCode.LEADER]
    leader.is_active = False
    leader.save()
    assert [action for action in Action if allowed(leader, action)] == []


def test_system_admin_configures_but_neither_manages_accounts_nor_reads_audit(personas):
    admin = personas[PostCode.SYSTEM_ADMIN]
    assert allowed(admin, Action.CONFIGURE_SYSTEM)
    assert not allowed(admin, Action.MANAGE_ACCOUNTS)
    assert not allowed(admin, Action.READ_AUDIT_LOG)


def test_security_admin_manages_accounts_only(personas):
    admin = personas[PostCode.SECURITY_ADMIN]
    assert allowed(admin, Action.MANAGE_ACCOUNTS)
    assert not allowed(admin, Action.CONFIGURE_SYSTEM)
    assert not allowed(admin, Action.READ_AUDIT_LOG)


def test_audit_admin_reads_audit_and_changes_nothing(personas):
    admin = personas[PostCode.AUDIT_ADMIN]
    # Revealing personal data only reads (and is itself recorded); it changes nothing.
    assert [action for action in Action if allowed(admin, action)] == [
        Action.READ_AUDIT_LOG,
        Action.REVEAL_PERSONAL_DATA,
    ]
    assert not admin.has_perm("yangguang.access_admin")


def test_no_business_post_holds_an_administrator_right(personas):
    admin_actions = {Action.CONFIGURE_SYSTEM, Action.MANAGE_ACCOUNTS, Action.READ_AUDIT_LOG}
    for code in set(PostCode) - ADMIN_POSTS:
        assert [a for a in admin_actions if allowed(personas[code], a)] == [], code


@pytest.mark.parametrize(
    "pair",
    [
        (PostCode.SYSTEM_ADMIN, PostCode.SECURITY_ADMIN),
        (PostCode.SYSTEM_ADMIN, PostCode.AUDIT_ADMIN),
        (PostCode.SECURITY_ADMIN, PostCode.AUDIT_ADMIN),
    ],
)
def test_one_account_cannot_hold_two_administrator_posts(org_tree, pair):
    with pytest.raises(ValidationError) as error:
        UserFactory(unit=org_tree.it, posts=list(pair))
    assert "三员分立" in error.value.message_dict["posts"][0]


def test_administrator_posts_cannot_be_merged_later(personas):
    auditor = personas[PostCode.AUDIT_ADMIN]
    with pytest.raises(ValidationError):
        services.user_set_posts(
            user=auditor,
            posts=[post(PostCode.AUDIT_ADMIN), post(PostCode.SYSTEM_ADMIN)],
            actor=personas[PostCode.SECURITY_ADMIN],
        )
    assert [p.code for p in auditor.posts.all()] == [PostCode.AUDIT_ADMIN]


def test_security_admin_cannot_change_own_posts(personas):
    admin = personas[PostCode.SECURITY_ADMIN]
    with pytest.raises(ValidationError) as error:
        services.user_set_posts(
            user=admin,
            posts=[post(PostCode.SECURITY_ADMIN), post(PostCode.LEADER)],
            actor=admin,
        )
    assert error.value.message_dict["posts"] == [
        "You cannot change your own posts; ask a colleague."
    ]


def test_security_admin_may_give_another_account_a_post(personas):
    officer = personas[PostCode.OFFICER]
    services.user_set_posts(
        user=officer,
        posts=[post(PostCode.OFFICER), post(PostCode.INSPECTOR)],
        actor=personas[PostCode.SECURITY_ADMIN],
    )
    assert {p.code for p in officer.posts.all()} == {PostCode.OFFICER, PostCode.INSPECTOR}


def test_readme_shows_the_matrix_enforced_by_the_code():
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- matrix:start -->\n") + len("<!-- matrix:start -->\n")
    end = text.index("<!-- matrix:end -->")
    assert text[start:end] == matrix_markdown()
