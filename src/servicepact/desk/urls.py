from django.urls import path

from servicepact.desk.views import (
    assets,
    bulk,
    linking,
    matrix,
    portal,
    saved_views,
    ticket_actions,
    ticket_page,
    workspace,
)

app_name = "desk"
urlpatterns = [
    path("", workspace.home, name="home"),
    path("favicon.ico", assets.favicon, name="favicon"),
    path("queues/<slug:key>/", workspace.queue, name="queue"),
    path("queues/<slug:key>/save/", workspace.save_view, name="save_view"),
    path("queues/<slug:key>/bulk/", bulk.bulk, name="bulk"),
    path("queues/<slug:key>/delete-view/", saved_views.delete_view, name="delete_view"),
    path("matrix/<slug:slug>/", matrix.matrix, name="matrix"),
    path("portal/", portal.portal, name="portal"),
    path("portal/new/<slug:kind>/", portal.new_ticket, name="new_ticket"),
    path("attachments/<int:attachment_id>/", portal.attachment, name="attachment"),
    path("tickets/<str:number>/", ticket_page.ticket_detail, name="ticket"),
    path("tickets/<str:number>/reply/", ticket_actions.reply, name="reply"),
    path("tickets/<str:number>/note/", ticket_actions.note, name="note"),
    path("tickets/<str:number>/route/", ticket_actions.route, name="route"),
    path("tickets/<str:number>/assign/", ticket_actions.assign, name="assign"),
    path("tickets/<str:number>/status/", ticket_actions.change_status, name="status"),
    path("tickets/<str:number>/priority/", ticket_actions.change_priority, name="priority"),
    path("tickets/<str:number>/correct/", ticket_actions.correct, name="correct"),
    path("tickets/<str:number>/resolve/", ticket_actions.resolve, name="resolve"),
    path("tickets/<str:number>/reopen/", ticket_actions.reopen, name="reopen"),
    path("tickets/<str:number>/close/", ticket_actions.close, name="close"),
    path("tickets/<str:number>/attach/", ticket_actions.attach, name="attach"),
    path("tickets/<str:number>/watch/", ticket_actions.watch, name="watch"),
    path("tickets/<str:number>/link/", linking.link, name="link"),
    path("tickets/<str:number>/unlink/", linking.remove_link, name="unlink"),
    path("tickets/<str:number>/merge/", linking.merge, name="merge"),
]
