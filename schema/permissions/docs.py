"""Render `docs/permissions.md` from the catalog and the schema's field decisions."""

from __future__ import annotations

from models.members import PresetRole
from models.partners import IDENTITY_GROUP, PartnerIdentity
from resolvers.permissions.catalog import CATALOG, PRESET_ROLE_GRANTS
from schema.permissions.policy import Policy

_SHORT = {
    PartnerIdentity.DISTRIBUTOR: "D", PartnerIdentity.RESELLER: "R", PartnerIdentity.SOLUTION_PROVIDER: "S",
}


def _identities(identities: frozenset[PartnerIdentity]) -> str:
    labels = [_SHORT[i] for i in _SHORT if i in identities]
    path = [i for i in identities if IDENTITY_GROUP[i].value == "PATH"]
    gov = sorted(i.value for i in identities if IDENTITY_GROUP[i].value == "GOV")
    if path:
        labels.append("P")
    if len(gov) == 2:
        labels.append("G")
    else:
        labels += [f"G ({g.removeprefix('GOV_').removesuffix('_PARTNER').lower().replace('_', ' ')})" for g in gov]
    return ", ".join(labels)


def render(policy: Policy) -> str:
    fields_by_code: dict[str, list[str]] = {}
    for (type_name, field_name), decision in sorted(policy.fields.items()):
        for code in decision.any_of:
            fields_by_code.setdefault(code, []).append(f"`{type_name}.{field_name}`")
    lines = [
        "# Permissions",
        "",
        "Generated from `resolvers/permissions/catalog.py` and the schema's `@requires` directives by",
        "`partner-gateway permissions-doc > docs/permissions.md`; a test fails when this file is stale.",
        "",
        "Columns: **default for** — identity groups whose every role holds it; **assignable to** — identities",
        "whose roles may be granted it (D distributor, R reseller, S solution provider, P path group,",
        "G government group); admin roles hold everything assignable. **Admin only** — never granted to",
        "custom roles. **Staff** — platform staff roles holding it (· personal: personal accounts too; · customer:",
        "customer accounts, which hold nothing else). **Guards** — the fields that need it.",
        "",
        "| permission | description | default for | assignable to | admin only | staff | provider item | guards |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for spec in CATALOG:
        lines.append("| " + " | ".join([
            f"`{spec.code}`",
            spec.description,
            ", ".join(sorted(g.value.lower() for g in spec.default_for)) or "",
            _identities(spec.assignable_to),
            "yes" if spec.admin_only else "",
            ", ".join(sorted(r.value for r in spec.staff_roles)) + (" · personal" if spec.personal else "")
            + (" · customer" if spec.customer else ""),
            f"`{spec.provider_item}`" if spec.provider_item else "",
            ", ".join(fields_by_code.get(spec.code, [])),
        ]) + " |")
    lines += ["", "## Preset roles", "",
              "Each preset role holds the identity group's defaults plus these grants, limited to what the",
              "partner's identities allow. `SYSTEM_ADMIN` (and the main account) hold everything allowed.", ""]
    for role in PresetRole:
        grants = "everything the partner's identities allow" if role is PresetRole.SYSTEM_ADMIN else \
            ", ".join(f"`{c}`" for c in sorted(PRESET_ROLE_GRANTS[role]))
        lines.append(f"- **{role.value}** — {role.description} Grants: {grants}.")
    return "\n".join(lines) + "\n"
