"""core.views.call_service: the one way a view turns a service's refusal into what the user sees."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from core.errors import DomainError, NotAllowed
from core.forms import DomainErrorsMixin
from core.views import call_service


class NameForm(DomainErrorsMixin, forms.Form):
    name = forms.CharField()


def request():
    req = RequestFactory().post("/")
    req.session = {}
    req._messages = FallbackStorage(req)
    return req


def refuse(exc):
    def service(**kwargs):
        raise exc

    return service


def test_a_result_is_returned_as_is():
    assert call_service(request(), lambda **kw: kw["n"] + 1, n=1) == 2


def test_a_refusal_becomes_a_message_and_none():
    req = request()

    assert call_service(req, refuse(DomainError("No."))) is None
    assert [m.message for m in get_messages(req)] == ["No."]


def test_a_refusal_with_a_form_lands_on_the_field_it_names_and_no_message():
    req = request()
    form = NameForm({"name": "x"})
    form.is_valid()
    error = DomainError("Taken.", field="name")

    assert call_service(req, refuse(error), form=form) is None
    assert form.errors["name"] == ["Taken."]
    assert form.domain_error is error
    assert list(get_messages(req)) == []


def test_not_allowed_is_the_403_page():
    with pytest.raises(PermissionDenied):
        call_service(request(), refuse(NotAllowed("Role.")))
