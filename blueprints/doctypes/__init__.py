"""Document templates (admin and centre): each doctype's variables, uploaded versions checked by
the gate, sample renders, activation and roll-back; `list-doctypes` and `render-doc` commands."""
