"""Pages of the budget work platforms: home per role, review plan, review tasks, deputies' comments,
expert and deputy registries, documents and archives (translation unit ``budget_platform``)."""
