"""core.views.call_service: one way for every page to turn a service's refusal into a 403, a
message, or an error on the form the user filled in."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from core.errors import DomainError, NotAllowed
from core.forms import DomainErrorsMixin
from core.views import call_service, safe_next


class NameForm(DomainErrorsMixin, forms.Form):
    name = forms.CharField()


def page_request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def refuse(error):
    def service(**kwargs):
        raise error

    return service


def test_a_refusal_naming_a_field_goes_on_the_form():
    request, form = page_request(), NameForm({"name": "x"})
    form.is_valid()

    done = call_service(request, refuse(DomainError("Taken.", field="name")), form=form)

    assert done is None
    assert form.errors == {"name": ["Taken."]}
    assert list(get_messages(request)) == []


def test_a_refusal_naming_no_field_is_a_message_even_with_a_form():
    request, form = page_request(), NameForm({"name": "x"})
    form.is_valid()

    call_service(request, refuse(DomainError("Someone else acted first.")), form=form)

    assert not form.errors
    assert [str(m) for m in get_messages(request)] == ["Someone else acted first."]


def test_not_allowed_is_the_403_page():
    with pytest.raises(PermissionDenied):
        call_service(page_request(), refuse(NotAllowed("No.")))


def test_the_services_result_is_returned():
    assert call_service(page_request(), lambda **kwargs: kwargs["n"] + 1, n=1) == 2


def test_the_form_keeps_the_refusal_for_a_view_that_shows_more_of_it():
    request, form = page_request(), NameForm({"name": "x"})
    form.is_valid()
    error = DomainError("Taken.", field="name")

    call_service(request, refuse(error), form=form)

    assert form.domain_error is error


def test_a_refusal_gathering_several_fields_goes_on_the_form():
    request, form = page_request(), NameForm({"name": "x"})
    form.is_valid()
    error = DomainError("Two problems.")
    error.errors = [DomainError("Taken.", field="name"), DomainError("Bad row.")]

    call_service(request, refuse(error), form=form)

    assert form.errors == {"name": ["Taken."], "__all__": ["Bad row."]}
    assert list(get_messages(request)) == []


@pytest.mark.parametrize(
    "target",
    ["/accounts/?page=2", "/takedowns/7/"],
)
def test_next_is_followed_when_it_is_a_path_of_this_site(target):
    request = RequestFactory().post("/", {"next": target})

    assert safe_next(request, "/fallback/") == target


@pytest.mark.parametrize(
    "target",
    ["-1", "home", "https://evil.example/", "//evil.example/", "/a\x00b", "/a\nb", ""],
)
def test_next_falls_back_unless_it_is_a_path_of_this_site(target):
    # A bare word would reach redirect() as a URL name (NoReverseMatch, a 500).
    request = RequestFactory().post("/", {"next": target})

    assert safe_next(request, "/fallback/") == "/fallback/"
