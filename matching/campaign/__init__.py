"""The employment-service campaign (issue 5): batches, contacts, status, flags, reports.

- :mod:`matching.campaign.batch`: ``issue_batch``.
- :mod:`matching.campaign.contact`: ``add_contact`` / ``read_contacts`` / ``import_contacts``.
- :mod:`matching.campaign.status`: ``register_employment``, ``deregister``,
  ``undo_status_change``, ``status_history``.
- :mod:`matching.campaign.flag`: ``flags`` (suggestions for a caseworker to confirm).
- :mod:`matching.campaign.caseworker`: what they share (the person by ID number, the audit line).
- :mod:`matching.campaign.monthly`: ``monthly_report`` (附件1, as of the 20th),
  ``write_monthly_report`` (xlsx + csv, identities checked first).
- :mod:`matching.campaign.page`: ``write_campaign_page`` (markdown + png).
- :mod:`matching.campaign.record`: ``export_record`` (附件2).

Tables: :mod:`matching.store.campaign_tables` (migration 0004).
"""

from __future__ import annotations

from matching.campaign.batch import BatchResult, issue_batch
from matching.campaign.contact import ContactInput, add_contact, import_contacts, read_contacts
from matching.campaign.flag import Flag, flags
from matching.campaign.monthly import (
    DistrictRow,
    MonthlyReport,
    ReportIdentityError,
    check_identities,
    monthly_report,
    parse_month,
    write_monthly_report,
)
from matching.campaign.page import CampaignPage, write_campaign_page
from matching.campaign.record import export_record
from matching.campaign.status import (
    StatusChange,
    deregister,
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
