"""The explicit list of features (blueprints) the app is made of."""


def register_blueprints(app):
    from .auth.routes import bp as auth
    from .core.routes import bp as core
    from .doctypes.routes import bp as doctypes
    from .documents.routes import bp as documents
    from .meetings.routes import bp as meetings
    from .orders.routes import bp as orders
    from .orgs.routes import bp as orgs
    from .programmes.routes import bp as programmes
    from .publications.routes import bp as publications
    from .roadmaps.routes import bp as roadmaps

    for blueprint in (core, auth, orgs, orders, meetings, programmes, roadmaps, documents,
                      publications, doctypes):
        app.register_blueprint(blueprint)
