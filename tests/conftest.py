pytest_plugins = [
    "tests.plugins.fix_services",
]
