"""Risk profiles of the listed schools (issue 14, item 4): levels per risk factor from the
school's self-diagnosis or the centre, the municipal summary with its heat map, the
`risk_profile` and `risk_summary` documents."""
