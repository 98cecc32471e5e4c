"""Policy onboarding: import a .docx/.pdf/.html/.txt policy into the corpus (text + metadata skeleton).

extract (file → raw lines) → normalize (page furniture, full-width numbering and punctuation, then
assistant.cleaning's layout repair) → metadata (a skeleton pre-filled from the text, marked for review)
→ numbering (warnings when the clause tree looks wrong). ``importer.import_policy`` runs them in order.
"""
