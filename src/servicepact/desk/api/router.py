"""The desk's one router: a path served by several modules (GET and POST /tickets) must be one route."""

from ninja import Router

router = Router(tags=["tickets"])
