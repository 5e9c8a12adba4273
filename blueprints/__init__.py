"""The explicit list of features (blueprints) the app is made of."""


def register_blueprints(app):
    from .auth.routes import bp as auth
    from .core.routes import bp as core
    from .documents.routes import bp as documents
    from .orders.routes import bp as orders
    from .orgs.routes import bp as orgs
    from .publications.routes import bp as publications

    for blueprint in (core, auth, orgs, orders, documents, publications):
        app.register_blueprint(blueprint)
