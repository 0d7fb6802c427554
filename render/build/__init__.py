"""Builder of the official .docx templates (python-docx); see render.build_templates."""
