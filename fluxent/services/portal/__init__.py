"""The client portal: engagements, milestones, documents, the dashboard, the staff console's figures and view-as."""
