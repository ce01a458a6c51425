import reflex as rx


def page() -> rx.Component:
    return rx.heading("Fluxent")
