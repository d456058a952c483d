"""The employment-service campaign (issue 5): batches, contacts, status, flags, reports.

- :mod:`matching.campaign.workflow`: ``issue_batch``, ``add_contact`` / ``import_contacts``,
  ``register_employment``, ``deregister``, ``undo_status_change``, ``status_history``, ``flags``.
- :mod:`matching.campaign.report`: ``monthly_report`` (附件1, as of the 20th),
  ``write_monthly_report`` (xlsx + csv, identities checked first), ``write_campaign_page``
  (markdown + png), ``export_record`` (附件2).

Tables: :mod:`matching.store.campaign_tables` (migration 0004).
"""

from __future__ import annotations

from matching.campaign.report import (
    CampaignPage,
    DistrictRow,
    MonthlyReport,
    ReportIdentityError,
    check_identities,
    export_record,
    monthly_report,
    parse_month,
    write_campaign_page,
    write_monthly_report,
)
from matching.campaign.workflow import (
    BatchResult,
    ContactInput,
    Flag,
    StatusChange,
    add_contact,
    deregister,
    flags,
    import_contacts,
    issue_batch,
    read_contacts,
    register_employment,
    status_history,
    undo_status_change,
)

__all__ = [
    "BatchResult",
    "CampaignPage",
    "ContactInput",
    "DistrictRow",
    "Flag",
    "MonthlyReport",
    "ReportIdentityError",
    "StatusChange",
    "add_contact",
    "check_identities",
    "deregister",
    "export_record",
    "flags",
    "import_contacts",
    "issue_batch",
    "monthly_report",
    "parse_month",
    "read_contacts",
    "register_employment",
    "status_history",
    "undo_status_change",
    "write_campaign_page",
    "write_monthly_report",
]
