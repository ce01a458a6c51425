"""What every API input shares: ids that fit the database, and JSON bodies that name
only fields they know and carry text that can be stored (``core.text``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fluxent.core.ids import MAX_ID
from fluxent.core.text import text_problem

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class RequestBody(BaseModel):
    """Base of every JSON request body: unknown fields are refused by name (422)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        if isinstance(value, str) and (problem := text_problem(value, multiline=True)):
            raise ValueError(problem)
        return value
