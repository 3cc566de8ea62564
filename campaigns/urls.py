from django.urls import path

from campaigns import views
from campaigns.feeds import PressReleaseFeed

app_name = "campaigns"

urlpatterns = [
    path("pledge/", views.pledge, name="pledge"),
    path("pledge/confirm/<str:token>/", views.pledge_confirm, name="pledge_confirm"),
    path("pledge/withdraw/<str:token>/", views.pledge_withdraw, name="pledge_withdraw"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<slug:slug>/pledge/sent/", views.pledge_sent, name="pledge_sent"),
    path("campaigns/<slug:slug>/pledge/thanks/", views.pledge_thanks, name="pledge_thanks"),
    path("campaigns/<slug:slug>/pledge/withdrawn/", views.pledge_withdrawn, name="pledge_withdrawn"),
    path("campaigns/<slug:slug>/widget/", views.campaign_widget, name="campaign_widget"),
    path("campaigns/<slug:slug>/share.png", views.campaign_share_image, name="campaign_share_image"),
    path("campaigns/<slug:slug>/media-kit/", views.media_kit, name="media_kit"),
    path("campaigns/<slug:slug>/stats.json", views.campaign_stats, name="campaign_stats"),
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/toolkit/", views.partner_toolkit, name="partner_toolkit"),
    path("partners/<slug:slug>/toolkit/", views.partner_toolkit, name="partner_toolkit"),
    path("stand/<str:token>/", views.stand_kiosk, name="stand_kiosk"),
    path("press/", views.PressReleaseListView.as_view(), name="press_list"),
    path("press/feed/", PressReleaseFeed(), name="press_feed"),
    path("press/<slug:slug>/", views.PressReleaseDetailView.as_view(), name="press_detail"),
    path("press/<slug:slug>/share.png", views.press_share_image, name="press_share_image"),
    path("events/", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/share.png", views.event_share_image, name="event_share_image"),
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="event_calendar"),
    path("events/<slug:slug>/sign-up/", views.event_signup, name="event_signup"),
    path("events/<slug:slug>/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("events/<slug:slug>/cancel/<str:token>/", views.signup_cancel, name="signup_cancel"),
]
