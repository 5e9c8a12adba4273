"""Source of truth for the built-in .docx templates.

Run `python -m doc_templates.build` after changing a builder: it rewrites the .docx
files next to this script. A test checks the committed files match a fresh build.
The builders are in build_*.py; what they share is in parts.py.
"""
import sys

from .build_identification import BUILDERS as IDENTIFICATION_BUILDERS
from .build_monitoring import BUILDERS as MONITORING_BUILDERS
from .build_monitoring_order import BUILDERS as MONITORING_ORDER_BUILDERS
from .build_partnership import BUILDERS as PARTNERSHIP_BUILDERS
from .build_programme import BUILDERS as PROGRAMME_BUILDERS
from .build_protocol import BUILDERS as PROTOCOL_BUILDERS
from .build_risks import BUILDERS as RISK_BUILDERS
from .build_roadmap import BUILDERS as ROADMAP_BUILDERS
from .build_visits import BUILDERS as VISIT_BUILDERS
from .parts import build_order

BUILDERS = [build_order, *PROTOCOL_BUILDERS, *PROGRAMME_BUILDERS, *ROADMAP_BUILDERS,
            *PARTNERSHIP_BUILDERS, *MONITORING_ORDER_BUILDERS, *MONITORING_BUILDERS,
            *IDENTIFICATION_BUILDERS, *RISK_BUILDERS, *VISIT_BUILDERS]


def main():
    for builder in BUILDERS:
        builder()
        print(f"built {builder.__name__}", file=sys.stderr)


if __name__ == "__main__":
    main()
