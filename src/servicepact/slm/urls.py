app_name = "slm"
urlpatterns: list = []
