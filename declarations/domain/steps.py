"""The steps of the declaration wizards, by name, with the titles people see."""

STEP_TITLES = {
    "basic": "基本信息",
    "budget": "预算资金",
    "narratives": "项目情况与目标",
    "targets": "绩效目标与重点任务",
    "indicators": "绩效指标",
    "review": "核对并保存",
}
