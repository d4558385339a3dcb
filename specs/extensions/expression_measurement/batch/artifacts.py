"""Saving a batch job's artifacts to a file: ``client.expression_measurement.batch.get_and_write_job_artifacts``."""

from __future__ import annotations

import os
import typing

if typing.TYPE_CHECKING:
    from hume.core.request_options import RequestOptions


class _DownloadsArtifacts(typing.Protocol):
    def get_job_artifacts(
        self, id: str, *, request_options: typing.Optional[RequestOptions] = None
    ) -> typing.Iterator[bytes]: ...


class _DownloadsArtifactsAsync(typing.Protocol):
    def get_job_artifacts(
        self, id: str, *, request_options: typing.Optional[RequestOptions] = None
    ) -> typing.AsyncIterator[bytes]: ...


class BatchArtifactsMixin:
    """Methods of the batch client written by hand."""

    def get_and_write_job_artifacts(
        self: _DownloadsArtifacts,
        *,
        id: str,
        file_name: typing.Union[str, os.PathLike[str]],
        request_options: typing.Optional[RequestOptions] = None,
    ) -> None:
        """Download the artifacts of a completed job (a ZIP archive) into ``file_name``.

        The file is written as the archive arrives; if the download fails it is removed.

        Parameters
        ----------
        id : str
            The unique identifier of the job.
        file_name : str | os.PathLike
            Where to write the archive.
        request_options : typing.Optional[RequestOptions]
            Request-specific configuration.
        """
        try:
            with open(file_name, "wb") as file:
                for chunk in self.get_job_artifacts(id, request_options=request_options):
                    file.write(chunk)
        except BaseException:
            _remove(file_name)
            raise


class AsyncBatchArtifactsMixin:
    """Methods of the async batch client written by hand."""

    async def get_and_write_job_artifacts(
        self: _DownloadsArtifactsAsync,
        *,
        id: str,
        file_name: typing.Union[str, os.PathLike[str]],
        request_options: typing.Optional[RequestOptions] = None,
    ) -> None:
        """Download the artifacts of a completed job (a ZIP archive) into ``file_name``.

        The file is written as the archive arrives; if the download fails it is removed.

        Parameters
        ----------
        id : str
            The unique identifier of the job.
        file_name : str | os.PathLike
            Where to write the archive.
        request_options : typing.Optional[RequestOptions]
            Request-specific configuration.
        """
        try:
            with open(file_name, "wb") as file:
                async for chunk in self.get_job_artifacts(id, request_options=request_options):
                    file.write(chunk)
        except BaseException:
            _remove(file_name)
            raise


def _remove(file_name: typing.Union[str, os.PathLike[str]]) -> None:
    try:
        os.remove(file_name)
    except OSError:
        pass
