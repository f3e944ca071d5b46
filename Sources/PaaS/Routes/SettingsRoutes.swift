import WebAPI

/// The routes of the settings area: profile and avatar, password, notification preferences, the
/// dashboard and the current-team switch (the avatar image itself is ``AvatarRoute``, a plain
/// HTTP route).
enum SettingsRoutes {
    static func routes(_ builder: PaaSRouteBuilder) -> [AppRoute] {
        ProfileRoutes.routes(builder) + PasswordRoutes.routes(builder) + NotificationRoutes.routes(builder)
            + DashboardRoutes.routes(builder) + CurrentTeamRoutes.routes(builder)
    }
}
