pytest_plugins = [
    "tests.plugins.fix_cpython_ast",
    "tests.plugins.fix_services",
    "tests.plugins.fix_redis_topology",
    "tests.plugins.fix_redis_commands",
    "tests.plugins.fix_redis",
]
