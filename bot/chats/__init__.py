"""The group chats the bot serves: the organisation group and the leadership group."""
