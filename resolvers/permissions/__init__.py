"""The permission vocabulary: the catalog (every code, its defaults and grants), the `Permission`
enum generated from it, a caller's effective permissions, and the one per-object check."""
